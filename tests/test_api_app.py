"""The server as a whole: `csto serve --demo` prints a full join link per seat and the director's,
the server's own loop releases injects as exercise time passes, and the CLI's start-up stays
light (nothing of the server is imported by `csto --help` or `csto assess`)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient

from csto.api import create_app
from csto.store import Store

from .live_server import CSTO, free_port
from .worlds import WORLD


def test_demo_prints_a_working_link_per_seat_and_the_directors(tmp_path: Path) -> None:
    port = free_port()
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [CSTO, "serve", "--demo", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env=env,
        text=True,
        start_new_session=True,
    )
    try:
        lines = []
        assert process.stdout is not None
        for line in process.stdout:
            lines.append(line)
            if "clock starts paused" in line:
                break
        links = dict(
            re.findall(r"^\s+(\S+).*?(http://127\.0\.0\.1:\d+/join/\S+)$", "".join(lines), re.M)
        )
        assert set(links) == {"ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK", "SEC", "director", "OBS1"}
        assert all(url.startswith(f"http://127.0.0.1:{port}/join/") for url in links.values())
        assert (tmp_path / "csto" / "csto-demo.db").exists()  # SQLite, in the user's data folder
        for _ in range(100):
            try:
                httpx.get(f"http://127.0.0.1:{port}/api/health", timeout=1)
                break
            except httpx.HTTPError:
                time.sleep(0.1)
        base = f"http://127.0.0.1:{port}"
        with httpx.Client(base_url=base, follow_redirects=True, timeout=10) as browser:
            seat = browser.get(links["KAZ"])  # the link lands on the seat's page
            assert seat.status_code == 200
            assert seat.url.path.startswith("/exercises/")
            assert 'data-seat="KAZ"' in seat.text
            assert "Kazakhstan" in seat.text
            exercise = seat.url.path.rsplit("/", 1)[1]
            assert browser.get(f"/api/exercises/{exercise}/view").json()["seat"] == "KAZ"
            with httpx.Client(base_url=base, follow_redirects=True, timeout=10) as other:
                director = other.get(links["director"])
                assert director.url.path == f"/exercises/{exercise}/director"
                assert "Master events list" in director.text
                assert other.get(f"/api/exercises/{exercise}/view").json()["mel"]
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
        if process.stdout is not None:
            process.stdout.close()


def test_the_servers_own_loop_releases_injects_on_the_clock(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'loop.db'}").ready()
    app = create_app(WORLD, store, tick=0.05)
    with TestClient(app) as c:
        created = c.post("/api/exercises", json={"scenario": "kazakhstan-2022"}).json()
        c.post(
            "/api/join", json={"token": created["director"].rsplit("/", 1)[1]}
        ).raise_for_status()
        exercise = created["exercise_id"]
        c.headers["X-CSRF-Token"] = c.cookies[f"csto_csrf_{exercise}"]
        c.post(f"/api/exercises/{exercise}/clock", json={"action": "resume"}).raise_for_status()
        c.post(
            f"/api/exercises/{exercise}/clock", json={"action": "speed", "rate": 3600}
        ).raise_for_status()
        deadline = time.monotonic() + 10  # the 3:00 inject is due three wall seconds later
        while time.monotonic() < deadline:
            injects = c.get(f"/api/exercises/{exercise}/view").json()["state"]["injects"]
            if "almaty-airport" in injects:
                break
            time.sleep(0.1)
        assert "almaty-airport" in injects
        assert not injects["almaty-airport"]["late"]


def test_the_cli_start_up_imports_nothing_of_the_server() -> None:
    probe = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from csto.cli import app\n"
        "for args in (['--help'], ['assess', 'kazakhstan-2022', '--json']):\n"
        "    assert CliRunner().invoke(app, args).exit_code == 0\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('fastapi', 'uvicorn', 'starlette', 'jinja2')\n"
        "         or m.startswith(('csto.api', 'csto.exercise'))]\n"
        "print(heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
