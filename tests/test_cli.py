"""The command line: JSON shapes, tables, and clear errors without tracebacks."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from csto.cli import app

runner = CliRunner()


def run_json(*args: str) -> dict:  # type: ignore[type-arg]
    result = runner.invoke(app, [*args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_org_json_shape() -> None:
    data = run_json("org", "--at", "2024-06-01")
    assert set(data) >= {
        "date",
        "members",
        "former",
        "bodies",
        "secretary_general",
        "forces",
        "instruments",
    }
    assert data["date"] == "2024-06-01"
    statuses = {m["code"]: m["status"] for m in data["members"]}
    assert statuses == {
        "ARM": "participation_frozen",
        "BLR": "member",
        "KAZ": "member",
        "KGZ": "member",
        "RUS": "member",
        "TJK": "member",
    }
    for m in data["members"]:
        assert set(m) >= {"code", "name", "status"}
    assert data["secretary_general"]["name"] == "Imangali Tasmagambetov"
    assert data["secretary_general"]["state"] == "KAZ"
    assert {f["id"] for f in data["forces"]} >= {"CRRF", "CPF", "CRDF-CA"}
    assert {i["id"] for i in data["instruments"]} >= {"CST", "CHARTER"}


def test_org_before_charter_has_no_secretary_general() -> None:
    data = run_json("org", "--at", "1994-01-01")
    assert data["secretary_general"] is None
    assert [m["code"] for m in data["members"]] == [
        "ARM",
        "AZE",
        "BLR",
        "GEO",
        "KAZ",
        "KGZ",
        "RUS",
        "TJK",
        "UZB",
    ]


def test_org_table_for_people() -> None:
    result = runner.invoke(app, ["org", "--at", "2021-06-01"])
    assert result.exit_code == 0
    assert "Stanislav Zas" in result.stdout
    assert "Member states" in result.stdout


def test_article_json_versions() -> None:
    old = run_json("article", "CST", "4", "--at", "2000-01-01")
    new = run_json("article", "CST", "4", "--at", "2015-01-01")
    assert (old["version"], old["valid_from"]) == ("1992", "1994-04-20")
    assert (new["version"], new["valid_from"]) == ("2010", "2012-12-19")
    assert new["params"]["requires_request"] is True
    assert old["params"]["requires_request"] is False
    assert old["params"]["aggressor"] == "state"
    assert old["text"] != new["text"]
    assert old["source"].startswith("http")


def test_date_before_the_treaty_is_a_clear_error() -> None:
    result = runner.invoke(app, ["org", "--at", "1991-12-25"])
    assert result.exit_code == 2
    assert "did not exist yet" in result.stderr
    assert "Traceback" not in result.output


def test_unparseable_date_is_a_clear_error() -> None:
    result = runner.invoke(app, ["org", "--at", "2022-13-01"])
    assert result.exit_code == 2
    assert "there is no month 13" in result.output
    result = runner.invoke(app, ["org", "--at", "5 January 2022"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_unknown_article_is_a_clear_error() -> None:
    result = runner.invoke(app, ["article", "CST", "42", "--at", "2015-01-01"])
    assert result.exit_code == 2
    assert "no article of CST '42'" in result.stderr
