"""Each member's position and the Council's decision procedures."""

from csto.politics.council import blockers, consensus, decide, majority, voting_members
from csto.politics.positions import Positions, positions

__all__ = [
    "Positions",
    "blockers",
    "consensus",
    "decide",
    "majority",
    "positions",
    "voting_members",
]
