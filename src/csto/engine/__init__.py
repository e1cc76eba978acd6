"""The decision engine: from a crisis and an appeal to the Council's decision, every step cited."""

from csto.engine.assess import ENGINE_VERSION, Assessment, Evaluation, assess, evaluate
from csto.engine.frame import assess_frame

__all__ = ["ENGINE_VERSION", "Assessment", "Evaluation", "assess", "assess_frame", "evaluate"]
