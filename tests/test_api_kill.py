"""kill -9 of the server during play, three times (the soak in benchmarks/soak_kill.py does it
twenty): no acknowledged command is lost or doubled, the log replays to the state hashes it
recorded, and the exercise resumes at the time its clock says."""

from __future__ import annotations

import random
from pathlib import Path

from .kill_play import kill_round, setup
from .live_server import LiveServer

ROUNDS = 3


def test_sigkill_during_play_loses_no_acknowledged_command(tmp_path: Path) -> None:
    server = LiveServer(f"sqlite:///{tmp_path / 'kill.db'}", log=tmp_path / "serve.log").start()
    rng = random.Random(20260302)
    try:
        table = setup(server)
        for n in range(ROUNDS):
            found = kill_round(server, table, rng, n)
            assert found.acknowledged > 0, found
            assert (found.lost, found.duplicated, found.wrong_hashes) == (0, 0, 0), found
            assert found.replay_ok, found
            # the clock's anchors are in the log: after a restart exercise time is where the
            # wall clock puts it (rate 600: one wall second is ten exercise minutes)
            assert found.clock_error_seconds <= 600 * 0.25, found
        sims = [e for e in table.players["DIRECTOR"].events() if e["kind"] == "sim"]
        assert sims  # the loop was releasing the deployment while the server was being killed
    finally:
        server.stop()
        for p in table.players.values() if "table" in locals() else ():
            p.client.close()
