"""Question files, format 1: every shipped file loads, one tiny broken file per failure mode gets
one clear message, and any file in the format either gets a decision or a clear error."""

from __future__ import annotations

import pickle
import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csto.domain.errors import CstoError, QuestionFileError
from csto.domain.question import BODIES, FILE_KINDS, WITHDRAWABLE, load_question, parse_question
from csto.domain.yamlfiles import parse_yaml
from csto.engine.decide import decide
from csto.service import schemas
from csto.service.inputs import question_text
from csto.world import cached_world

from .worlds import WORLD

ROOT = Path(__file__).resolve().parent.parent
BROKEN = Path(__file__).parent / "data" / "questions" / "broken"
CASES = sorted(BROKEN.glob("*.yaml"))


def _expected(path: Path) -> list[str]:
    return [
        line.removeprefix("# expect: ").strip()
        for line in path.read_text().splitlines()
        if line.startswith("# expect: ")
    ]


def test_every_shipped_question_loads_and_validates_against_its_schema() -> None:
    ids = WORLD.questions.ids()
    assert len(ids) >= 20
    schema = schemas.schema("question")
    for question_id in ids:
        path = WORLD.questions.path(question_id)
        question = load_question(path)
        assert question.id == question_id == path.stem
        assert question.record is not None
        assert question.record.sources
        jsonschema.validate(parse_yaml(path.read_text(), path), schema)


def test_there_is_a_broken_question_file_per_failure_mode() -> None:
    names = {p.stem for p in CASES}
    assert {"unknown_kind", "unknown_state", "unknown_body", "missing_host", "bad_date"} <= names


@pytest.mark.parametrize("broken", CASES, ids=[p.stem for p in CASES])
def test_broken_question_file_gets_one_clear_message(broken: Path) -> None:
    with pytest.raises(QuestionFileError) as caught:
        load_question(broken)
    message = str(caught.value)
    assert message.startswith(f"{broken}:"), message
    assert len(message.splitlines()) == 1, message
    for expected in _expected(broken):
        assert expected in message, f"{expected!r} not in {message!r}"


def test_a_question_on_the_treaty_day_names_the_file_and_the_date() -> None:
    text = "format: 1\nid: early\ntitle: Early\nkind: admission\ndate: 1992-05-15\nstate: GEO\n"
    given_ = question_text(text, "early.yaml")
    with pytest.raises(QuestionFileError, match=r"early\.yaml: date: got '1992-05-15'; allowed"):
        decide(WORLD, given_.question, source=given_.name)


def test_the_question_catalogue_travels_with_the_world(tmp_path: Path) -> None:
    copy = pickle.loads(pickle.dumps(WORLD))
    assert copy.questions.ids() == WORLD.questions.ids()
    assert copy.questions.get("sg-zas-2019").state == "BLR"
    cached = cached_world(cache_dir=tmp_path)
    again = cached_world(cache_dir=tmp_path)  # from the pickle this time
    assert again.questions.ids() == cached.questions.ids() == WORLD.questions.ids()


def test_no_question_id_or_title_appears_in_code_or_other_data() -> None:
    words = {w for q in WORLD.questions.ids() for w in (q, WORLD.questions.get(q).title)}
    pattern = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    data = ROOT / "src" / "csto" / "data"
    checked = list((ROOT / "src" / "csto").rglob("*.py"))
    checked += [p for p in data.rglob("*.yaml") if "questions" not in p.relative_to(data).parts]
    offenders = [
        f"{p.relative_to(ROOT)}: {m.group(0)}"
        for p in checked
        for m in pattern.finditer(p.read_text(encoding="utf-8"))
    ]
    assert offenders == []


# --- any file in the format: a decision or a clear error ----------------------------------------
STATES = ["ARM", "AZE", "BLR", "GEO", "KAZ", "KGZ", "RUS", "TJK", "UZB", "USA", "CHN", "PAK"]
STATES += ["TUR", "AFG", "SRB", "IND", "IRN", "MNG", "UKR"]


@st.composite
def question_dicts(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(FILE_KINDS))
    day = draw(st.dates(min_value=date(1992, 5, 16), max_value=date(2100, 12, 31)))
    state = draw(st.sampled_from(STATES))
    raw: dict[str, Any] = {
        "format": 1,
        "id": "drawn",
        "title": "A drawn question",
        "kind": kind.value,
        "date": day.isoformat(),
        "state": state,
    }
    if kind.value == "stationing":
        raw["host"] = draw(st.sampled_from([s for s in STATES if s != state]))
    if kind.value == "secretary_general" and draw(st.booleans()):
        raw["nominee"] = draw(st.sampled_from(["Somebody", "Stanislav Zas"]))
    if draw(st.booleans()):
        raw["body"] = draw(st.sampled_from(BODIES[kind])).value
    if kind in WITHDRAWABLE and draw(st.booleans()):
        raw["action"] = "withdraw"
    if draw(st.booleans()):
        raw["by"] = draw(st.sampled_from(STATES))
    return raw


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw=question_dicts(), reform=st.sampled_from([(), ("majority-vote",)]))
def test_any_question_in_the_format_gets_a_decision(
    raw: dict[str, Any], reform: tuple[str, ...]
) -> None:
    question = parse_question(raw, "drawn.yaml")
    decision = decide(WORLD, question, reform)
    assert decision.outcome in ("adopted", "rejected")
    if decision.outcome == "adopted":
        assert not decision.blocked_by
        assert not decision.barred_by
    else:
        assert decision.blocked_by or decision.barred_by
    for code in decision.blocked_by:
        assert decision.positions[code].stance == "objects"
    for member in decision.positions.values():
        assert member.reasons
        assert all(r.reason for r in member.reasons)


def test_a_date_far_ahead_still_gets_the_rotation() -> None:
    raw = {
        "format": 1,
        "id": "far",
        "title": "Far ahead",
        "kind": "secretary_general",
        "date": (date(2100, 12, 31) - timedelta(days=1)).isoformat(),
        "state": "KAZ",
    }
    decision = decide(WORLD, parse_question(raw, "far.yaml"))
    rotation = next(c for c in decision.legal.conditions if c.name == "rotation")
    assert "turn" in rotation.text


def test_a_question_error_is_a_csto_error() -> None:
    with pytest.raises(CstoError):
        parse_question({"format": 1}, "x.yaml")
