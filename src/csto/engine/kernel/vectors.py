"""Let the compiler use the CPU's widest vectors (docs/decisions/0012-columnar-kernel.md).

LLVM's tuning for recent x86 cores prefers 256-bit vectors even where the core has 512-bit ones
(AVX-512). The columnar kernel's rows are independent and branch-free, so twice as many lanes make it
nearly twice as fast. `wide_vectors()` asks numba for the host's features without that preference,
through numba's own setting (NUMBA_CPU_FEATURES), before numba compiles or loads anything. A value the
user has set is left alone, and a CPU without AVX-512 is not touched. The setting only changes which
instructions carry the same arithmetic: integer results and exact comparisons are unchanged, and the
property tests run under it.
"""

from __future__ import annotations

import os
import sys
from typing import Any

SETTING = "NUMBA_CPU_FEATURES"


def wide_vectors(features: Any = None) -> None:
    """`features`: the host's (llvmlite's FeatureMap) unless given."""
    if SETTING in os.environ:
        return
    if features is None:
        import llvmlite.binding as llvm

        features = llvm.get_host_cpu_features()
    if not features.get("avx512f"):
        return
    os.environ[SETTING] = features.flatten() + ",-prefer-256-bit"
    if "numba" in sys.modules:  # numba read its settings already: give it this one too
        from numba.core import config

        setattr(config, "CPU_FEATURES", os.environ[SETTING])  # noqa: B010 -- numba's own setting
