"""Simulating a crisis and keeping the run, as the CLI and the server do.

store_at(url=None, create_folder=False)
                         the store a user means: --db URL, else $CSTO_DB, else the default SQLite
                         file (whose folder is created; another's only when asked)
open_store(url=None)     the same, checked before any work starts
simulate_and_save(world, given, store, seed, reforms)
                         a row marked running, the simulation, then the complete run in one
                         transaction; a failure marks the row failed with its reason. If the
                         store fails after the run finished, the run's JSON is written to a
                         file (csto-run-ID.json in the working folder, else the temporary one)
                         that the error names (RunNotSaved), so no work is lost.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from pathlib import Path

from csto.domain.errors import CstoError
from csto.service.inputs import CrisisInput
from csto.sim import Run, simulate
from csto.sim.run import inputs_hash
from csto.store import SEED_MAX, Store, StoreError, fail_run, save_run, start_run
from csto.world import World


class RunNotSaved(StoreError):
    """The run finished but the store failed; its JSON was saved to a file instead."""

    def __init__(self, cause: str, saved: Path | None) -> None:
        where = f"; the run was saved to {saved}" if saved else ""
        super().__init__(cause + where)
        self.saved = saved


def store_at(url: str | None = None, create_folder: bool = False) -> Store:
    """The store a user means, not yet checked: --db URL, else $CSTO_DB, else the default file.
    A SQLite file's missing folder is created only for the default store or when asked."""
    from csto.settings import Settings, default_db_url

    if url is None:
        url = Settings().db  # an empty $CSTO_DB is refused by check_url, not silently replaced
    return Store(url, create_folder=create_folder or url == default_db_url())


def open_store(url: str | None = None, write: bool = True) -> Store:
    """The store, ready: schema checked (SQLite upgraded); to write, a write tried and undone."""
    store = store_at(url)
    try:
        store.ready()
        if write:
            store.check_writable()
    except BaseException:
        store.close()
        raise
    return store


def _save_beside(run: Run, folder: Path | None = None) -> Path | None:
    """The run's JSON in the folder the user works in, else in the temporary folder."""
    import tempfile

    name = f"csto-run-{run.run_id}.json"
    for place in (folder or Path.cwd(), Path(tempfile.gettempdir())):
        target = (place / name).absolute()
        try:
            target.write_text(run.model_dump_json(indent=2) + "\n", encoding="utf-8")
        except OSError:
            continue
        return target
    return None


def simulate_and_save(
    world: World,
    given: CrisisInput,
    store: Store | None,
    seed: int = 0,
    reforms: Sequence[str] = (),
    rescue_folder: Path | None = None,
) -> Run:
    if store is not None and not 0 <= seed <= SEED_MAX:
        raise StoreError(f"seed {seed}: a stored run's seed is from 0 to {SEED_MAX}")
    run_id = uuid.uuid4().hex
    if store is not None:
        digest = inputs_hash(given.crisis, seed, reforms, world.data_hash)
        with store.transaction() as session:
            start_run(session, run_id, given.crisis, seed, reforms, digest)
    try:
        run = simulate(world, given.crisis, seed, reforms, file_hash=given.file_hash, run_id=run_id)
    except (CstoError, ValueError, OverflowError) as exc:
        if store is not None:
            with store.transaction() as session:
                fail_run(session, run_id, f"{type(exc).__name__}: {exc}")
        raise
    if store is not None:
        try:
            with store.transaction() as session:
                save_run(session, run)
        except StoreError as exc:
            raise RunNotSaved(str(exc), _save_beside(run, rescue_folder)) from None
    return run
