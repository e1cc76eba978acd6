"""Explanations an analyst can quote (issue 14, point 3): one descending argument, members grouped
where they take the same position for the same reasons, each political reason with its dated datum
and source, evidence as full citations, the appellant's own status, one text for every output."""

from __future__ import annotations

import json
import re
from typing import Any

from typer.testing import CliRunner

from csto.cli import app
from csto.domain.crisis import parse_crisis
from csto.engine import assess

from .worlds import WORLD, case

runner = CliRunner()
SEED_ID = re.compile(r"\b\d{3}_[0-9a-f]{16}\.txt\b")


def tree(*args: str) -> str:
    result = runner.invoke(app, ["assess", *args, "--explain"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    return " ".join(result.stdout.split())


def probe(**situation: Any) -> dict[str, Any]:
    return {
        "format": 1,
        "id": "probe",
        "title": "probe",
        "date": situation.pop("date"),
        "appeal": situation.pop("appeal"),
        "situation": {"opponents": ["non_state"], "intensity": "low", **situation},
    }


def test_the_law_reads_as_one_descending_argument() -> None:
    ex = assess(WORLD, case("kazakhstan-2022")).explanation
    assert ex is not None
    allowed = [line.text for line in ex.law if line.text.startswith("allowed up to")]
    order = ["deployment", "mission", "assistance", "consultations", "statement"]
    ranks = [next(i for i, m in enumerate(order) if f"allowed up to {m}:" in t) for t in allowed]
    assert ranks == sorted(ranks)  # what allows the most first, then down the ladder
    assert ex.law[-1].text.startswith("owed at least")  # then what is owed


def test_a_non_members_appeal_names_its_status() -> None:
    crisis = parse_crisis(
        probe(
            date="2014-06-01",
            appeal={"by": "UZB", "invokes": "art4"},
            kind="armed_attack",
            territory="UZB",
            opponents=["AFG"],
            foreign_involvement="evidenced",
        ),
        "p.yaml",
    )
    ex = assess(WORLD, crisis).explanation
    assert ex is not None
    capped = next(line for line in ex.law if "not a member" in line.text)
    assert "membership suspended since 2012-12-19" in capped.text


def test_a_frozen_members_own_appeal_mentions_its_status_and_nothing_reads_like_a_typo() -> None:
    crisis = parse_crisis(
        probe(
            date="2024-06-01",
            appeal={"by": "ARM", "invokes": "art2"},
            kind="border_clash",
            territory="ARM",
            opponents=["AZE"],
            foreign_involvement="evidenced",
        ),
        "p.yaml",
    )
    ex = assess(WORLD, crisis).explanation
    assert ex is not None
    appellant = next(g for g in ex.members if g.stance == "appellant")
    assert appellant.status is not None
    assert appellant.status.startswith("participation frozen since 2024-02-22")
    text = tree("kazakhstan-2022")
    assert "abstains none" not in text


def test_identical_positions_are_said_once() -> None:
    ex = assess(WORLD, case("kazakhstan-2022")).explanation
    assert ex is not None
    members = [c for g in ex.members for c in g.members]
    assert len(members) == len(set(members))  # each member once
    assert len(ex.members) < len(members)  # and the same position for the same reasons grouped
    texts = [line.text for g in ex.members for line in g.lines]
    for group in ex.members:
        assert len({line.text for line in group.lines}) == len(group.lines)
    assert texts


def test_political_reasons_name_their_dated_data_and_full_sources() -> None:
    text = tree("armenia-2022")
    assert "relation RUS-AZE ally from 2022-02-22" in text
    assert "Richard Weitz, 'The Collective Security Treaty Organization" in text
    assert not SEED_ID.search(text), "evidence must read as a citation, not an opaque id"
    data = json.loads(runner.invoke(app, ["assess", "armenia-2022", "--json"]).stdout)
    blr = next(g for g in data["explanation"]["members"] if "BLR" in g["members"])
    tie = next(line for line in blr["lines"] if "close ties" in line["text"])
    assert tie["records"] == [
        "relation BLR-AZE partner from 1999-04-21: Backed Azerbaijan or stayed neutral on Karabakh"
    ]
    assert tie["sources"]


def test_one_text_serves_the_json_and_the_table() -> None:
    data = json.loads(runner.invoke(app, ["assess", "armenia-2022", "--json"]).stdout)
    table = runner.invoke(app, ["assess", "armenia-2022"], env={"COLUMNS": "250"})
    flat = " ".join(table.stdout.split())
    assert data["explanation"]["summary"].split(".")[0] in flat
    assert data["explanation"]["russia"]["text"] in flat


def test_the_sources_register_is_listed() -> None:
    listed = runner.invoke(app, ["sources", "--json"])
    assert listed.exit_code == 0
    entries = json.loads(listed.stdout)
    assert any(
        e["id"] == "003_1f94ba21bfbbbeeb.txt" and e["author"] == "Richard Weitz" for e in entries
    )
    missing = runner.invoke(app, ["sources", "https://example.org/none"])
    assert missing.exit_code == 2
