"""The master events list as CSV, since directors keep it in spreadsheets.

One row per inject; a condition spreads over the `when_*` columns, fact changes are `key=value`
pairs separated by semicolons, an audience is seat ids separated by spaces (or `all`, `members`):

    id,at,when_event,when_measure,when_inject,when_engine_at_least,when_engine_below,delay,audience,title,body,facts
    riots,0:00,,,,,,,all,Riots in the cities,...,
    escalation,1d 12:00,,,,,,,KAZ SEC,Fighting spreads,...,intensity=high

    COLUMNS                 the header, in order
    read_mel(path)          Injects from a CSV file (ScenarioError names the row and the column)
    parse_mel(text, name)   the same from text
    write_mel(injects)      CSV text; parse_mel(write_mel(x)) == x
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from csto.domain.errors import Problem, ScenarioError
from csto.domain.loader import validate
from csto.domain.yamlfiles import read_text
from csto.exercise.scenario import Inject, format_offset

COLUMNS = (
    "id",
    "at",
    "when_event",
    "when_measure",
    "when_inject",
    "when_engine_at_least",
    "when_engine_below",
    "delay",
    "audience",
    "title",
    "body",
    "facts",
)
INTEGER_FACTS = ("casualties", "sites")
BOOLEAN_FACTS = ("government_at_risk", "un_mandate")


def _facts(text: str, where: str, name: str) -> dict[str, Any] | None:
    if not text.strip():
        return None
    facts: dict[str, Any] = {}
    for pair in (p.strip() for p in text.split(";") if p.strip()):
        key, sep, value = (x.strip() for x in pair.partition("="))
        if not sep:
            raise ScenarioError(
                name, [Problem(where, pair, "allowed: key=value pairs separated by ';'")]
            )
        if key in INTEGER_FACTS and value.isdigit():
            facts[key] = int(value)
        elif key in BOOLEAN_FACTS and value.lower() in ("true", "false"):
            facts[key] = value.lower() == "true"
        else:
            facts[key] = value
    return facts


def _row(raw: dict[str, str], k: int, name: str) -> Inject:
    where = f"row {k + 2}"  # the header is row 1
    record: dict[str, Any] = {
        "id": raw["id"].strip(),
        "title": raw["title"].strip(),
        "body": raw["body"].strip(),
        "audience": raw["audience"].strip() or "all",
    }
    if raw["at"].strip():
        record["at"] = raw["at"].strip()
    when: dict[str, Any] = {}
    for column, key in (
        ("when_event", "event"),
        ("when_measure", "measure"),
        ("when_inject", "inject"),
        ("delay", "delay"),
    ):
        if raw[column].strip():
            when[key] = raw[column].strip()
    engine = {
        key: raw[column].strip()
        for column, key in (
            ("when_engine_at_least", "outcome_at_least"),
            ("when_engine_below", "outcome_below"),
        )
        if raw[column].strip()
    }
    if engine:
        when["engine"] = engine
    if when:
        record["when"] = when
    facts = _facts(raw["facts"], f"{where}.facts", name)
    if facts:
        record["facts"] = facts
    return validate(Inject, record, name, prefix=(where,), error=ScenarioError)


def parse_mel(text: str, name: str) -> tuple[Inject, ...]:
    reader = csv.DictReader(io.StringIO(text))
    header = tuple(reader.fieldnames or ())
    missing = [c for c in COLUMNS if c not in header]
    extra = [c for c in header if c not in COLUMNS]
    if missing or extra:
        allowed = "allowed: a header with the columns " + ",".join(COLUMNS)
        shown = missing[0] if missing else extra[0]
        raise ScenarioError(
            name,
            [
                Problem(
                    "row 1",
                    shown,
                    ("missing column; " if missing else "unknown column; ") + allowed,
                )
            ],
        )
    injects = []
    for k, raw in enumerate(reader):
        if None in raw:
            raise ScenarioError(
                name,
                [Problem(f"row {k + 2}", raw[None], "allowed: as many cells as the header has")],
            )
        injects.append(_row({c: raw[c] or "" for c in COLUMNS}, k, name))
    return tuple(injects)


def read_mel(path: Path) -> tuple[Inject, ...]:
    return parse_mel(read_text(path, ScenarioError), str(path))


def _cells(i: Inject) -> dict[str, str]:
    w = i.when
    facts = i.facts.changed() if i.facts else {}
    return {
        "id": i.id,
        "at": format_offset(i.at) if i.at is not None else "",
        "when_event": w.event.value if w and w.event else "",
        "when_measure": w.measure.label if w and w.measure is not None else "",
        "when_inject": (w.inject or "") if w else "",
        "when_engine_at_least": w.engine.outcome_at_least.label
        if w and w.engine and w.engine.outcome_at_least is not None
        else "",
        "when_engine_below": w.engine.outcome_below.label
        if w and w.engine and w.engine.outcome_below is not None
        else "",
        "delay": format_offset(w.delay) if w and w.delay else "",
        "audience": " ".join(i.audience),
        "title": i.title,
        "body": i.body,
        "facts": "; ".join(
            f"{k}={str(v).lower() if isinstance(v, bool) else v}" for k, v in facts.items()
        ),
    }


def write_mel(injects: Iterable[Inject]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for inject in injects:
        writer.writerow(_cells(inject))
    return out.getvalue()
