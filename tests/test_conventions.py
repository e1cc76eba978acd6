"""The conventions a new user expects of a command line: --version, help on every parameter without
type noise, the README's order, bounded numbers, dates whose errors say what is wrong, a warning past
the data, titles that cannot drive the terminal, consistent wording, and never a traceback."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.main import get_command
from typer.testing import CliRunner

from csto.cli import app
from csto.domain.wording import counted, for_terminal, why_not_a_date

from .worlds import WORLD

runner = CliRunner()
README = Path(__file__).resolve().parent.parent / "README.md"


def _commands(group: Any = None, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    """Every command and group under the app, with the words that call it."""
    group = group or get_command(app)
    found = [(path, group)]
    for name, sub in getattr(group, "commands", {}).items():
        found += _commands(sub, (*path, name))
    return found


# --- the suite's own guard ---------------------------------------------------------------------
def test_a_command_that_raises_fails_its_test() -> None:
    """conftest.py checks every CliRunner call: an exception escaping a command fails the test."""
    broken = typer.Typer()

    @broken.command()
    def explode() -> None:
        raise RuntimeError("boom")

    with pytest.raises(pytest.fail.Exception, match="raised instead of reporting"):
        runner.invoke(broken, [])


# --- version and help --------------------------------------------------------------------------
def test_version_names_csto_the_rules_and_the_data() -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert re.fullmatch(r"csto \S+ \(rules \S+\), data [0-9a-f]{12}\n", result.stdout)


@pytest.mark.parametrize(
    ("path", "command"),
    [pytest.param(p, c, id=" ".join(p) or "csto") for p, c in _commands()],
)
def test_every_parameter_has_help_and_no_type_noise(path: tuple[str, ...], command: Any) -> None:
    for param in command.params:
        assert (getattr(param, "help", None) or "").strip(), f"csto {' '.join(path)}: {param.name}"
    shown = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "100"})
    assert shown.exit_code == 0, shown.output
    noise = re.findall(r"<(?:bool|str|int|float|path|list|tuple|text)[^>]*>", shown.stdout)
    assert noise == [], shown.stdout
    usage = shown.stdout.split("Usage:")[1].splitlines()[0]
    assert "{" not in usage, usage


def _readme_commands() -> list[str]:
    order: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", README.read_text(), re.S):
        for name in re.findall(r"\bcsto ([a-z][a-z-]*)", block):
            if name not in order:
                order.append(name)
    return order


def test_commands_are_listed_in_the_readmes_order() -> None:
    listed = get_command(app).list_commands(None)  # type: ignore[attr-defined, arg-type]
    readme = _readme_commands()
    assert readme, "the README shows no csto commands"
    assert set(readme) <= set(listed)
    assert [c for c in listed if c in readme] == readme
    shown = runner.invoke(app, ["--help"], env={"COLUMNS": "100"}).stdout
    positions = [shown.index(f" {name} ") for name in listed]
    assert positions == sorted(positions)


# --- numbers -----------------------------------------------------------------------------------
@pytest.mark.parametrize("limit", ["99999999999999999999", "-5", "0", "ten"])
def test_runs_list_limit_is_bounded(tmp_path: Path, limit: str) -> None:
    result = runner.invoke(
        app, ["runs", "list", "--limit", limit, "--db", f"sqlite:///{tmp_path / 'r.db'}"]
    )
    assert result.exit_code == 2
    assert "--limit" in result.output


def test_a_seed_the_store_cannot_keep_is_refused_before_the_run(tmp_path: Path) -> None:
    from csto.cli.runs import SEED_MAX as CLI_SEED_MAX
    from csto.service.inputs import CrisisInput
    from csto.service.running import open_store, simulate_and_save
    from csto.store import SEED_MAX, StoreError

    assert CLI_SEED_MAX == SEED_MAX
    url = f"sqlite:///{tmp_path / 'r.db'}"
    result = runner.invoke(app, ["simulate", "armenia-2021", "--seed", str(2**70), "--db", url])
    assert result.exit_code == 2
    assert "--seed" in result.output
    fits = runner.invoke(app, ["simulate", "armenia-2021", "--seed", str(SEED_MAX), "--db", url])
    assert fits.exit_code == 0, fits.output
    given = CrisisInput(WORLD.cases.get("armenia-2021"), None)
    with open_store(url) as store, pytest.raises(StoreError, match="seed"):
        simulate_and_save(WORLD, given, store, seed=SEED_MAX + 1)


# --- dates -------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("2024-02-30", "the day does not exist (February 2024 has 29 days)"),
        ("2023-02-29", "the day does not exist (February 2023 has 28 days)"),
        ("2022-04-31", "the day does not exist (April 2022 has 30 days)"),
        ("2022-13-01", "there is no month 13"),
        ("2022/01/05", "is not a date; write it as YYYY-MM-DD"),
        ("yesterday", "is not a date; write it as YYYY-MM-DD"),
    ],
)
def test_a_date_error_says_what_is_wrong(typed: str, says: str) -> None:
    result = runner.invoke(app, ["org", "--at", typed], env={"COLUMNS": "200"})
    assert result.exit_code == 2
    assert says in " ".join(result.output.split())
    assert says in why_not_a_date(typed)


def test_a_date_past_the_datas_horizon_is_answered_with_a_warning() -> None:
    horizon = WORLD.org.horizon
    after = (horizon + timedelta(days=1)).isoformat()
    for args in (["org", "--at", after], ["article", "CST", "4", "--at", "2100-01-01"]):
        result = runner.invoke(app, [*args, "--json"])
        assert result.exit_code == 0, result.output
        json.loads(result.stdout)  # the warning stays off stdout
        assert f"after the data's last dated fact ({horizon.isoformat()})" in result.stderr
    within = runner.invoke(app, ["org", "--at", horizon.isoformat()])
    assert "warning" not in within.stderr


def test_the_horizon_is_the_last_dated_fact() -> None:
    org = WORLD.org
    assert org.horizon >= max(org.change_dates)
    assert org.horizon >= max(sg.start for sg in org.secretaries_general)
    assert org.horizon < date(2100, 1, 1)


def _crisis_file(tmp_path: Path, title: str, day: str = "2022-01-05") -> Path:
    raw = WORLD.cases.get("kazakhstan-2022").model_dump(mode="json")
    raw.pop("record", None)
    raw.pop("sources", None)
    raw.pop("notes", None)
    raw |= {"id": "typed-by-hand", "title": title, "date": day}
    path = tmp_path / "crisis.yaml"
    path.write_text(json.dumps(raw))  # JSON is YAML
    return path


def test_a_crisis_past_the_horizon_warns_in_assess_and_simulate(tmp_path: Path) -> None:
    crisis = _crisis_file(tmp_path, "Far future", "2099-06-01")
    db = f"sqlite:///{tmp_path / 'r.db'}"
    for args in (["assess", str(crisis)], ["simulate", str(crisis), "--db", db]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "2099-06-01 is after the data's last dated fact" in result.stderr


# --- text from files ---------------------------------------------------------------------------
def test_terminal_escape_codes_in_a_title_are_shown_not_sent(tmp_path: Path) -> None:
    title = "Unrest \x1b]0;owned\x07 \x1b[31mred\x1b[0m \u202egnp"
    crisis = _crisis_file(tmp_path, title)
    db = f"sqlite:///{tmp_path / 'r.db'}"
    for args in (
        ["assess", str(crisis)],
        ["assess", str(crisis), "--explain"],
        ["simulate", str(crisis), "--db", db],
        ["runs", "list", "--db", db],
    ):
        result = runner.invoke(app, args, env={"COLUMNS": "250"})
        assert result.exit_code == 0, result.output
        for raw in ("\x1b", "\x07", "\u202e"):
            assert raw not in result.stdout, args
        if args[0] != "runs":  # the list shows the crisis id, not its title
            assert "\\x1b" in result.stdout, args
    assert for_terminal("Plain title") == "Plain title"
    assert for_terminal("a\x1bb\u202ec") == "a\\x1bb\\u202ec"


# --- the run's tables --------------------------------------------------------------------------
def test_the_advance_party_is_in_the_timeline(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    shown = runner.invoke(app, ["simulate", "kazakhstan-2022", "--db", db], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    run = json.loads(runner.invoke(app, ["runs", "list", "--db", db, "--json"]).stdout)[0]
    stored = json.loads(
        runner.invoke(app, ["runs", "show", run["run_id"], "--db", db, "--json"]).stdout
    )
    first = stored["milestones"]["first_arrival"].replace("T", " ").replace("Z", " UTC")
    rows = [line for line in shown.stdout.splitlines() if first in line]
    assert len(rows) == 2  # the milestones table and the timeline agree
    assert "first arrival (advance party)" in rows[1]


def test_wording_and_plurals(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'r.db'}"
    shown = runner.invoke(app, ["simulate", "kazakhstan-2022", "--db", db], env={"COLUMNS": "200"})
    assert re.search(r"\n\d+ situation reports through the Crisis Response Center\n", shown.stdout)
    quiet = runner.invoke(app, ["simulate", "armenia-2021", "--db", db])
    assert "0 situation reports through the Crisis Response Center" in quiet.stdout
    assert counted(1, "scenario") == "1 scenario"
    assert counted(1_000_000, "scenario") == "1,000,000 scenarios"
    assert counted(1, "entry", "entries") == "1 entry"
    assert counted(2, "entry", "entries") == "2 entries"
