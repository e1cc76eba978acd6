"""The crisis exercise of `csto serve`: people play the member states, the engine keeps the treaty.

Pure logic over the store (no web framework here; csto.api serves it):

    scenario     scenario files (YAML) and their master events list; mel: its CSV form
    seats        seat ids and kinds, join tokens
    events       the event log's kinds and entries; projection: what each seat is sent
    state, fold  the state as a fold over the log, the same for the server and for each seat
    commands     what seats may send; play dispatches each to its handler:
                 consult (appeal, messages, the engine's assessment), council (motions, votes),
                 forcegen (request, offers, acceptance), deployment (the simulation on the
                 clock), feed (situation reports, ministries' reports), direction (the white cell)
    injects, due what falls due as exercise time passes, released by the server's loop
    service      Exercises: every write in one transaction with its events; idempotency keys
    queries      a seat's view and events; the log replayed and checked
    report       the after-action report
"""

from csto.exercise.events import EventKind, LogEvent
from csto.exercise.scenario import Scenario, load_scenario, scenario_argument, scenario_text
from csto.exercise.service import Created, Exercises, Joined
from csto.exercise.state import ExerciseState

__all__ = [
    "Created",
    "EventKind",
    "ExerciseState",
    "Exercises",
    "Joined",
    "LogEvent",
    "Scenario",
    "load_scenario",
    "scenario_argument",
    "scenario_text",
]
