"""Frozen typed models of the organization and the loader that validates the data once."""

from csto.domain.errors import (
    CrisisFileError,
    CstoError,
    DataError,
    DateOutOfRange,
    NotFound,
    Problem,
    UsageError,
)
from csto.domain.loader import DATA_DIR, default_organization, load_organization
from csto.domain.models import EventKind, RelationLevel, Status
from csto.domain.organization import ArticleInForce, Organization

__all__ = [
    "DATA_DIR",
    "ArticleInForce",
    "CrisisFileError",
    "CstoError",
    "DataError",
    "DateOutOfRange",
    "EventKind",
    "NotFound",
    "Organization",
    "Problem",
    "RelationLevel",
    "Status",
    "UsageError",
    "default_organization",
    "load_organization",
]
