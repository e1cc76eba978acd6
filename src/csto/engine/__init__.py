"""The decision engine: from a crisis and an appeal to the Council's decision, every step cited."""

from csto.engine.assess import ENGINE_VERSION, Assessment, Evaluation, assess, evaluate

__all__ = ["ENGINE_VERSION", "Assessment", "Evaluation", "assess", "evaluate"]
