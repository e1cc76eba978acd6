"""Crisis files (format 1): loading, and one clear error for each way a file can be wrong."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from csto.cli import app
from csto.domain import CrisisFileError, NotFound
from csto.domain.crisis import Measure, crisis_hash, parse_crisis

from .strategies import BREAKAGES, UNREST, broken_crisis_dicts, crisis_dicts
from .worlds import case, case_ids

runner = CliRunner()

KAZ = UNREST


def test_the_case_base_holds_every_episode() -> None:
    assert len(case_ids()) >= 10
    for case_id in case_ids():
        crisis = case(case_id)
        assert crisis.id == case_id
        assert crisis.record is not None
        assert crisis.record.sources


def test_ask_defaults_follow_the_article_invoked() -> None:
    crisis = parse_crisis(KAZ, "k.yaml")
    assert crisis.appeal is not None
    assert crisis.appeal.ask is Measure.DEPLOYMENT
    art2 = parse_crisis({**KAZ, "appeal": {"by": "KAZ", "invokes": "art2"}}, "k.yaml")
    assert art2.appeal is not None
    assert art2.appeal.ask is Measure.CONSULTATIONS


def test_the_record_does_not_change_the_hash() -> None:
    plain = parse_crisis(KAZ, "a.yaml")
    recorded = parse_crisis({**KAZ, "record": {"outcome": "none"}}, "b.yaml")
    assert crisis_hash(plain) == crisis_hash(recorded)


@pytest.mark.parametrize(("where", "value"), BREAKAGES, ids=[".".join(w) for w, _ in BREAKAGES])
def test_each_breakage_names_file_field_and_value(where: tuple[str, ...], value: object) -> None:
    raw = {**KAZ, "appeal": dict(KAZ["appeal"]), "situation": dict(KAZ["situation"])}  # type: ignore[arg-type]
    target = raw
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    with pytest.raises(CrisisFileError) as caught:
        parse_crisis(raw, "my-crisis.yaml")
    message = str(caught.value)
    assert message.startswith("my-crisis.yaml: ")
    assert ".".join(where) in message or where[-1] in message
    assert "allowed" in message or "required" in message or "unknown key" in message


@settings(max_examples=300, deadline=None)
@given(broken=broken_crisis_dicts())
def test_a_generated_invalid_file_always_gets_the_clear_error(
    broken: tuple[dict, tuple[str, ...], object],
) -> None:  # type: ignore[type-arg]
    raw, where, _ = broken
    with pytest.raises(CrisisFileError) as caught:
        parse_crisis(raw, "gen.yaml")
    assert str(caught.value).startswith("gen.yaml: ")
    assert where[-1] in str(caught.value)


@settings(max_examples=200, deadline=None)
@given(raw=crisis_dicts())
def test_generated_valid_files_load(raw: dict) -> None:  # type: ignore[type-arg]
    parse_crisis(raw, "gen.yaml")


def test_cli_reports_a_broken_file_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump({**KAZ, "situation": {**KAZ["situation"], "territory": "XXX"}}))  # type: ignore[dict-item]
    result = runner.invoke(app, ["assess", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}: situation.territory: got 'XXX'" in result.stderr
    assert "Traceback" not in result.output


def test_cli_reports_broken_yaml_and_unknown_case(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: 1\nsituation: [unclosed\n")
    result = runner.invoke(app, ["assess", str(bad)])
    assert result.exit_code == 2
    assert "well-formed YAML" in result.stderr
    result = runner.invoke(app, ["assess", "atlantis-2030"])
    assert result.exit_code == 2
    assert "kazakhstan-2022" in result.stderr


def test_unknown_case_id() -> None:
    with pytest.raises(NotFound):
        case("no-such-case")


def test_markup_and_bad_bytes_do_not_crash_the_cli(tmp_path: Path) -> None:
    marked = tmp_path / "marked.yaml"
    marked.write_text(yaml.safe_dump({**KAZ, "title": "x [/b] [bold]", "id": "x"}))
    for args in (["assess", str(marked)], ["assess", str(marked), "--explain"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "x [/b] [bold]" in result.stdout
    bad_id = tmp_path / "bad-id.yaml"
    bad_id.write_text(yaml.safe_dump({**KAZ, "id": "x[/b]"}))
    result = runner.invoke(app, ["assess", str(bad_id)])
    assert result.exit_code == 2
    assert "x[/b]" in result.stderr
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"format: 1\ntitle: \xff\xfe\x00bad\n")
    result = runner.invoke(app, ["assess", str(binary)])
    assert result.exit_code == 2
    assert "allowed: UTF-8 text" in result.stderr


@settings(max_examples=60, deadline=None)
@given(blob=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_any_bytes_get_a_clear_answer(
    blob: bytes, tmp_path_factory: pytest.TempPathFactory
) -> None:
    file = tmp_path_factory.mktemp("fuzz") / "crisis.yaml"
    file.write_bytes(blob)
    result = runner.invoke(app, ["assess", str(file)])
    assert result.exit_code in (0, 2), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
