"""The World: everything the engine knows, as one immutable value passed explicitly.

    World                 the organization, the operations data, the catalogues of crisis cases
                          and of the Council's other questions, and the compiled regime (with each
                          reformed copy), built once from a data folder
    World.load(folder)    read and validate the data (DataError on anything wrong)
    World.regime_for(r)   the compiled regime under reforms `r`, compiled once per World
    World.with_cases(f), .with_questions(f)   the same World with another folder as a catalogue
    World.what_if(...)    a new World with states' events, relations, traits or parameters changed;
                          the World it came from is never touched
    World.cached(folder)  the same World, from a pickle in the user's cache folder when one was
                          made from identical data files by this csto (docs/benchmarks.md: it
                          cuts a whole `csto assess` by about a third); rebuilt when anything differs
    default_world()       the shipped data, for the edges only: the CLI and notebooks

Caches live on the World (functools.cached_property writes to the instance), never in the process:
two Worlds built from different data, or a what-if and its baseline, share nothing mutable.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from threading import Lock
from typing import Any

from csto.domain import DATA_DIR, Catalogue, DataError, Organization, Problem, load_organization
from csto.domain.crisis import Crisis, load_crisis
from csto.domain.loader import check_states
from csto.domain.models import Parameter, Relation, StateEvent, Trait
from csto.domain.operations import Operations, load_operations
from csto.domain.question import Question, load_question
from csto.law import Regime, apply_reforms, compile_regime

MAX_REFORMED = 64  # reformed regimes kept per World; each is a shallow copy of the baseline


@dataclass(frozen=True, eq=False)  # one World per data set: compared by identity
class World:
    org: Organization
    ops: Operations
    cases: Catalogue[Crisis]
    questions: Catalogue[Question]
    data_dir: Path | None = None
    changes: tuple[str, ...] = ()  # what-if changes, in words, from the World it came from

    @classmethod
    def load(cls, data_dir: Path = DATA_DIR) -> World:
        return cls(
            org=load_organization(data_dir),
            ops=load_operations(data_dir),
            cases=Catalogue("crisis case", data_dir / "cases", load_crisis),
            questions=Catalogue("question", data_dir / "questions", load_question),
            data_dir=data_dir,
        )

    @property
    def data_hash(self) -> str:
        return self.org.data_hash

    @cached_property
    def regime(self) -> Regime:
        """The baseline regime, compiled on first use."""
        return compile_regime(self.org)

    @cached_property
    def _reformed(self) -> dict[tuple[str, ...], Regime]:
        return {}

    @cached_property
    def _lock(self) -> Lock:
        return Lock()

    def regime_for(self, reforms: Sequence[str] = ()) -> Regime:
        key = tuple(reforms)
        if not key:
            return self.regime
        with self._lock:  # a server's threads share one World
            found = self._reformed.get(key)
            if found is None:
                found = apply_reforms(self.regime, key)
                if len(self._reformed) >= MAX_REFORMED:
                    self._reformed.pop(next(iter(self._reformed)))
                self._reformed[key] = found
            return found

    def __getstate__(self) -> dict[str, Any]:
        # Sent to worker processes (or the cache) without its lock and its reformed regimes; the
        # compiled baseline regime and the parsed cases travel with it.
        return {k: v for k, v in self.__dict__.items() if k not in ("_lock", "_reformed")}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    def with_cases(self, folder: Path) -> World:
        """The same World with another folder of crisis files as its case catalogue."""
        if not folder.is_dir():
            raise DataError(
                folder,
                [Problem("(folder)", str(folder), "allowed: an existing folder of crisis files")],
            )
        return dataclasses.replace(
            self,
            cases=Catalogue("crisis case", folder, load_crisis),
            changes=(*self.changes, f"cases from {folder}"),
        )

    def with_questions(self, folder: Path) -> World:
        """The same World with another folder of question files as its question catalogue."""
        if not folder.is_dir():
            raise DataError(
                folder,
                [Problem("(folder)", str(folder), "allowed: an existing folder of question files")],
            )
        return dataclasses.replace(
            self,
            questions=Catalogue("question", folder, load_question),
            changes=(*self.changes, f"questions from {folder}"),
        )

    # --- what-ifs ---------------------------------------------------------------------------------
    def what_if(
        self,
        *,
        events: Mapping[str, Iterable[StateEvent]] | None = None,
        relations: Iterable[Relation] = (),
        traits: Iterable[Trait] = (),
        parameters: Mapping[str, Any] | None = None,
    ) -> World:
        """A new World with extra dated events for states, extra relations and traits (the latest
        dated record wins, as in the data), and global parameters set to new values."""
        org = self.org
        said: list[str] = []
        states = list(org.states)
        for code, extra in (events or {}).items():
            index = next((i for i, s in enumerate(states) if s.code == code), None)
            if index is None:
                raise DataError(
                    "what-if", [Problem("events", code, "allowed: a state of the data")]
                )
            added = sorted(extra, key=lambda e: e.date)
            merged = tuple(sorted((*states[index].events, *added), key=lambda e: e.date))
            states[index] = states[index].model_copy(update={"events": merged})
            said += [f"{code} {e.kind.value} on {e.date.isoformat()}" for e in added]
        check_states(states, "what-if")
        new_relations = tuple(relations)
        said += [
            f"{r.a}-{r.b} {r.level.value} from {r.valid_from.isoformat()}" for r in new_relations
        ]
        new_traits = tuple(traits)
        said += [
            f"{t.code} {t.trait.value}={t.value} from {t.valid_from.isoformat()}"
            for t in new_traits
        ]
        params = list(org.parameters)
        for name, value in (parameters or {}).items():
            index = next((i for i, p in enumerate(params) if p.name == name), None)
            if index is None:
                known = ", ".join(p.name for p in params)
                raise DataError(
                    "what-if", [Problem(f"parameters.{name}", name, f"allowed: {known}")]
                )
            params[index] = Parameter.model_validate({**params[index].model_dump(), "value": value})
            said.append(f"parameter {name}={value}")
        digest = hashlib.sha256(json.dumps([org.data_hash, said]).encode()).hexdigest()
        new_org = dataclasses.replace(
            org,
            states=tuple(states),
            relations=(*org.relations, *new_relations),
            traits=(*org.traits, *new_traits),
            parameters=tuple(params),
            data_hash=digest,
        )
        new = World(
            org=new_org,
            ops=self.ops,
            cases=self.cases,
            questions=self.questions,
            data_dir=self.data_dir,
            changes=(*self.changes, *said),
        )
        new.regime  # noqa: B018 -- compile now, so a bad change fails here, not in a later answer
        return new


def _cache_key(data_dir: Path) -> str:
    import sys

    import pydantic

    from csto import __version__
    from csto.domain.loader import data_files, data_hash

    cases = sorted((data_dir / "cases").glob("*.yaml"))
    cases += sorted((data_dir / "questions").glob("*.yaml"))
    parts = [
        __version__,
        sys.version,
        pydantic.VERSION,
        str(data_dir.resolve()),
        data_hash(
            [*data_files(data_dir), *cases], data_dir
        ),  # the case and question files too: parsed ones travel
    ]
    return hashlib.sha256("\0".join(parts).encode()).hexdigest()[:32]


def _cache_folder() -> Path:
    """$CSTO_CACHE_DIR, else the user's cache folder. On Linux that is platformdirs' own rule
    ($XDG_CACHE_HOME or ~/.cache), written out here because importing platformdirs costs a
    whole command a few percent of its start-up."""
    import os
    import sys

    if os.environ.get("CSTO_CACHE_DIR"):
        return Path(os.environ["CSTO_CACHE_DIR"])
    if sys.platform.startswith("linux"):
        return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "csto"
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("csto", appauthor=False))


def cached_world(data_dir: Path = DATA_DIR, cache_dir: Path | None = None) -> World:
    """World.load, kept as a pickle keyed by csto's version, Python's, pydantic's and the data
    files' hash. A missing, stale or unreadable cache is rebuilt; it is never an error."""
    import os
    import pickle
    import tempfile

    if cache_dir is None:
        cache_dir = _cache_folder()
    path = cache_dir / f"world-{_cache_key(data_dir)}.pickle"
    try:
        with path.open("rb") as handle:
            found = pickle.load(handle)
        if isinstance(found, World):
            return found
    except Exception:
        pass
    world = World.load(data_dir)
    world.regime  # noqa: B018 -- compiled now, so the pickle holds it
    for case in world.cases.ids():  # parsed now, so a command on a shipped case parses nothing
        world.cases.get(case)
    for question in world.questions.ids():
        world.questions.get(question)
    try:
        cache_dir.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("wb", dir=cache_dir, delete=False) as written:
            pickle.dump(world, written, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(written.name, path)  # atomic: a reader sees the old file or the new, never half
    except OSError:
        pass  # a read-only cache folder only costs speed
    return world


@cache
def default_world() -> World:
    """The World of the shipped data. Only the edges call this: the CLI and notebook helpers."""
    return cached_world(DATA_DIR)


__all__ = ["World", "default_world"]
