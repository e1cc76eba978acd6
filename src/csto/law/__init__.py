"""Legal rules by article and version, the compiled regime, the tracer and the reforms."""

from csto.law.batch import CrisisBatch
from csto.law.reforms import REFORMS, apply_reforms
from csto.law.regime import Citation, Regime, compile_regime
from csto.law.rules import LegalResult, legal
from csto.law.tracer import Step, Tracer

__all__ = [
    "REFORMS",
    "Citation",
    "CrisisBatch",
    "LegalResult",
    "Regime",
    "Step",
    "Tracer",
    "apply_reforms",
    "compile_regime",
    "legal",
]
