"""Frozen typed models of the organization, the loader that validates the data once, crisis files
and the catalogues of shipped files."""

from csto.domain.catalogue import Catalogue
from csto.domain.errors import (
    CrisisFileError,
    CstoError,
    DataError,
    DateOutOfRange,
    NotFound,
    Problem,
    UsageError,
)
from csto.domain.loader import DATA_DIR, load_organization
from csto.domain.models import DecisionRule, EventKind, RelationLevel, Status
from csto.domain.organization import ArticleInForce, Organization

__all__ = [
    "DATA_DIR",
    "ArticleInForce",
    "Catalogue",
    "CrisisFileError",
    "CstoError",
    "DataError",
    "DateOutOfRange",
    "DecisionRule",
    "EventKind",
    "NotFound",
    "Organization",
    "Problem",
    "RelationLevel",
    "Status",
    "UsageError",
    "load_organization",
]
