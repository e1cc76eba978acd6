"""Kill soak for `csto serve`: SIGKILL the server at random moments during play, 20 times, restart
it each time, and count what was lost (run on demand; tests/test_api_kill.py is the bounded suite
version). Every target is 127.0.0.1; rounds and time are bounded.

    python benchmarks/soak_kill.py [--rounds 20] [--db URL] [--workers N] [--rate 3600] [--seed N] [--json]

Reports, over all rounds: commands acknowledged, acknowledged commands missing from the log,
commands applied twice, acknowledged state hashes that differ from the log's, whether the log
replays to its recorded hashes, and the largest error of the exercise time after a restart.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.kill_play import kill_round, setup
from tests.live_server import LiveServer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--db", default=None, help="default: a fresh SQLite file")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=1, help="worker processes (PostgreSQL)")
    parser.add_argument("--rate", type=float, default=3600, help="exercise seconds per wall second")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="csto-soak-"))
    db = args.db or f"sqlite:///{folder / 'soak.db'}"
    server = LiveServer(db, workers=args.workers, log=folder / "serve.log").start()
    rng = random.Random(args.seed)
    started = time.monotonic()
    rounds = []
    try:
        table = setup(server, rate=args.rate)
        for n in range(args.rounds):
            found = kill_round(server, table, rng, n)
            rounds.append(asdict(found))
            if not args.json:
                print(
                    f"round {n + 1:2}: {found.acknowledged:3} acknowledged, lost {found.lost}, doubled "
                    f"{found.duplicated}, wrong hashes {found.wrong_hashes}, replay {'ok' if found.replay_ok else 'FAILED'}, "
                    f"clock error {found.clock_error_seconds} s of exercise time, log {found.events} events ({found.simulated} simulated)"
                )
    finally:
        server.stop()
    summary = {
        "rounds": len(rounds),
        "acknowledged": sum(r["acknowledged"] for r in rounds),
        "lost": sum(r["lost"] for r in rounds),
        "duplicated": sum(r["duplicated"] for r in rounds),
        "wrong_hashes": sum(r["wrong_hashes"] for r in rounds),
        "replay_ok": all(r["replay_ok"] for r in rounds),
        "in_flight_retried": sum(r["retried_in_flight"] for r in rounds),
        "max_clock_error_seconds": max((r["clock_error_seconds"] for r in rounds), default=0.0),
        "seconds": round(time.monotonic() - started, 1),
        "store": "sqlite" if db.startswith("sqlite") else "postgresql",
        "rate": args.rate,
        "workers": args.workers,
    }
    if args.json:
        print(json.dumps({"summary": summary, "rounds": rounds}, indent=2))
    else:
        print(json.dumps(summary, indent=2))
    if (
        summary["lost"]
        or summary["duplicated"]
        or summary["wrong_hashes"]
        or not summary["replay_ok"]
    ):
        sys.exit(1)


if __name__ == "__main__":
    main()
