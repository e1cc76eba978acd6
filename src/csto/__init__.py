"""csto: an executable model of the Collective Security Treaty Organization.

The organization as versioned data (csto.domain), the law by article and version (csto.law), each
member's position and the consensus (csto.politics), crisis simulation (csto.sim) and analysis
(csto.analysis). The command line lives in csto.cli.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("csto")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
