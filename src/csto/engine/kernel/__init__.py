"""The rules compiled row by row (numba): every crisis decided in one pass, no (n, M) temporaries.

The traced path (`csto.engine.evaluate`: csto.law.rules and csto.politics.positions) is the
definition of the rules; this kernel is a second, faster reading of the same rules, held to it in
three ways (docs/decisions/0009-rules-kernel.md):
- everything dated or tunable comes from the same compiled Regime: article versions, flags and
  maximum measures per epoch (read through the same ArticleTable methods), membership, relations,
  traits, the global parameters and the reforms; only the rule logic is written out here;
- KERNEL_RULES names the rules the kernel implements, in the tables' order (the law's ALLOWANCES
  and CAPS, the politics' RAISES, PROVIDER_CAPS, CAPS and FOLLOW, Russia's course RULES);
  `supported()` is false as soon as the tables name anything else, and the fast path then falls
  back to the traced path (a test fails loudly too);
- tests/test_kernel.py compares the kernel with the traced path on 100,000 random crises under every
  combination of reforms and random per-crisis parameters: zero mismatches.

    layout.py   KERNEL_RULES, supported(), the parameter slots, Tables and tables(regime)
    columns.py  the columnar kernel: a record per crisis structure, then every row in vector lanes,
                where the Council decides by consensus; decide(batch, regime, russia=False) or None
    vectors.py  wide_vectors(): the compiler may use 512-bit vectors where the CPU has them
    rows.py     the numba function, and decide(batch, regime, russia=False, willing=False)
        (n,) int8 outcomes; with `russia` (n,) int8 codes of Russia's own course
        (csto.politics.russia.ACTS); with `willing` a (n,) int64 bit mask of the voting members
        other than the appellant who accept a deployment (what force generation needs)
"""

from csto.engine.kernel.vectors import wide_vectors

wide_vectors()  # before numba compiles or loads anything

from csto.engine.kernel.layout import KERNEL_RULES, PARAMS, Tables, supported, tables  # noqa: E402
from csto.engine.kernel.rows import decide  # noqa: E402

__all__ = ["KERNEL_RULES", "PARAMS", "Tables", "decide", "supported", "tables"]
