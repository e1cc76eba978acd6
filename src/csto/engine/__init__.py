"""The decision engine: from a crisis and an appeal to the Council's decision, every step cited.

`assess_frame` (pandas) is imported from csto.engine.frame, so that `csto assess` does not pay for
pandas.
"""

from csto.engine.assess import ENGINE_VERSION, Evaluation, assess, evaluate
from csto.engine.report import Assessment, MemberPosition, Stance

__all__ = [
    "ENGINE_VERSION",
    "Assessment",
    "Evaluation",
    "MemberPosition",
    "Stance",
    "assess",
    "evaluate",
]
