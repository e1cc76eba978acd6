"""csto: an executable model of the Collective Security Treaty Organization.

The organization as versioned data (csto.domain), the law by article and version (csto.law), each
member's position and the consensus (csto.politics), crisis simulation (csto.sim) and analysis
(csto.analysis). The command line lives in csto.cli.
"""

# The one place the version is written (pyproject.toml reads it from here): importlib.metadata
# would cost a whole-process start-up a fifth of its time.
__version__ = "0.2.0"

# The version of the rules (law/, politics/): bumped whenever a decision could change for the same
# facts and data, and written into every receipt.
RULES_VERSION = "1"

__all__ = ["RULES_VERSION", "__version__"]
