"""Hostile input: every class of bad file is refused quickly with one clear message naming the file,
through `assess` and `simulate`; and a fuzz test mutates valid crisis, question and spec files."""

from __future__ import annotations

import os
import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from csto.cli import app
from csto.domain.errors import CstoError
from csto.domain.yamlfiles import LIMITS
from csto.engine.decide import decide
from csto.service.inputs import crisis_text, question_text
from csto.service.sweeping import load_sweep

from .strategies import UNREST
from .worlds import WORLD

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent
VALID = yaml.safe_dump(UNREST, sort_keys=False)
SPEC = (ROOT / "examples" / "kazakhstan-2022-sweep.yaml").read_text()
# A question file with every optional key of the format, for the fuzz test to break.
QUESTION = """format: 1
id: base-in-kazakhstan
title: A third country's facility in Kazakhstan
kind: stationing
date: 2018-06-01
state: USA
host: KAZ
body: collective_security_council
action: grant
by: KAZ
coding: A question to break.
record:
  outcome: rejected
  blocked_by: [RUS]
  delayed_days: 10
  sources: ["003_1f94ba21bfbbbeeb.txt"]
  note: Not history.
"""

ALIAS_BOMB = "\n".join(
    ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 10)}]" for i in range(8)]
)


def _write(tmp: Path, name: str, body: str | bytes) -> Path:
    path = tmp / name
    if isinstance(body, bytes):
        path.write_bytes(body)
    else:
        path.write_text(body)
    return path


HOSTILE: dict[str, Callable[[Path], Path]] = {
    "alias bomb": lambda t: _write(t, "bomb.yaml", ALIAS_BOMB),
    "deep nesting": lambda t: _write(t, "deep.yaml", "a: " + "[" * 500 + "]" * 500),
    "huge number": lambda t: _write(
        t,
        "huge.yaml",
        VALID.replace("intensity: low", "intensity: low\n  casualties: " + "9" * 5000),
    ),
    "year 9999": lambda t: _write(t, "y9999.yaml", VALID.replace("2022-01-05", "9999-12-31")),
    "endless device": lambda t: (t / "zero.yaml").symlink_to("/dev/zero") or t / "zero.yaml",
    "a directory": lambda t: (t / "folder.yaml").mkdir() or t / "folder.yaml",
    "an empty file": lambda t: _write(t, "empty.yaml", ""),
    "random bytes": lambda t: _write(t, "noise.yaml", random.Random(4).randbytes(4096)),
    "too large": lambda t: _write(t, "big.yaml", "# " + "x" * (LIMITS.max_bytes + 10)),
    "a pipe": lambda t: os.mkfifo(t / "pipe.yaml") or t / "pipe.yaml",
    "not yaml at all": lambda t: _write(t, "passwd.yaml", "root:x:0:0:root:/root:/bin/bash\n"),
}


@pytest.mark.parametrize("kind", list(HOSTILE))
@pytest.mark.parametrize("command", ["assess", "simulate", "decide"])
def test_each_hostile_file_gets_a_clear_error_within_a_second(
    kind: str, command: str, tmp_path: Path
) -> None:
    path = HOSTILE[kind](tmp_path)
    args = [command, str(path)]
    if command == "simulate":
        args += ["--db", f"sqlite:///{tmp_path / 'runs.db'}"]
    start = time.perf_counter()
    result = runner.invoke(app, args)
    elapsed = time.perf_counter() - start
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("error: "), result.stderr
    assert path.name in result.stderr
    assert "Traceback" not in result.output
    assert elapsed < 1.0, f"{kind}: {elapsed:.2f} s"


def test_the_contents_of_a_file_are_never_echoed(tmp_path: Path) -> None:
    secret = "root:x:0:0:topsecret:/root:/bin/bash"
    for name in ("passwd", "passwd.yaml"):
        (tmp_path / name).write_text(secret + "\n")
        result = runner.invoke(app, ["assess", str(tmp_path / name)])
        assert result.exit_code == 2
        assert "topsecret" not in result.output
        assert "root" not in result.output.replace(str(tmp_path), "")
    etc = runner.invoke(app, ["assess", "/etc/passwd"])
    assert etc.exit_code == 2
    for line in Path("/etc/passwd").read_text().splitlines()[:5]:
        assert line.split(":")[0] not in etc.output.replace("/etc/passwd", "")


# --- the fuzz test -----------------------------------------------------------------------------
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=5), st.integers(), max_size=2),
    st.sampled_from(
        [
            "9999-12-31",
            "2022-02-30",
            "0001-01-01",
            "*alias",
            "&anchor x",
            "[[[",
            "!!python/object:os.system",
        ]
    ),
)


@st.composite
def mutated(draw: st.DrawFn, text: str) -> str:
    """A valid file with a few hostile edits: values of other types, keys removed or added, dates,
    numbers, nesting, aliases, and raw bytes."""
    lines = text.splitlines()
    for _ in range(draw(st.integers(1, 4))):
        how = draw(st.sampled_from(["value", "drop", "add", "nest", "alias", "bytes", "indent"]))
        i = draw(st.integers(0, len(lines) - 1))
        line = lines[i]
        if how == "value" and ":" in line:
            key = line.split(":", 1)[0]
            junk = yaml.safe_dump(draw(JUNK), default_flow_style=True).strip().splitlines()[0]
            lines[i] = f"{key}: {junk}"
        elif how == "drop":
            lines.pop(i)
            if not lines:
                lines = ["{}"]
        elif how == "add":
            lines.insert(
                i,
                f"{draw(st.text(alphabet='abcxyz_', min_size=1, max_size=8))}: {draw(st.integers())}",
            )
        elif how == "nest":
            depth = draw(st.integers(1, 200))
            lines.insert(i, "deep: " + "[" * depth + "]" * depth)
        elif how == "alias":
            lines.insert(0, "x: &x [1, 2, 3]")
            lines.insert(i + 1, "y: *x")
        elif how == "indent":
            lines[i] = " " * draw(st.integers(1, 7)) + line
        else:
            lines[i] = line + draw(
                st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF), max_size=8)
            )
    return "\n".join(lines) + "\n"


def _check(call: Callable[[], object], name: str) -> None:
    start = time.perf_counter()
    try:
        call()
    except CstoError as exc:
        message = str(exc)
        assert name in message, message
        assert "allowed" in message or "known" in message or "required" in message, message
    elapsed = time.perf_counter() - start
    assert elapsed < 1.0, f"{elapsed:.2f} s"


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated(VALID))
def test_fuzzed_crisis_files_get_a_clear_answer(text: str) -> None:
    _check(lambda: crisis_text(text, "fuzz.yaml"), "fuzz.yaml")


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=mutated(QUESTION))
def test_fuzzed_question_files_get_a_clear_answer(text: str) -> None:
    def call() -> object:
        given_ = question_text(text, "fuzz.yaml")
        return decide(WORLD, given_.question, source=given_.name)

    _check(call, "fuzz.yaml")


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=mutated(SPEC))
def test_fuzzed_spec_files_get_a_clear_answer(tmp_path: Path, text: str) -> None:
    path = tmp_path / "spec.yaml"
    try:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    except UnicodeEncodeError:
        path.write_bytes(text.encode("utf-8", errors="replace"))
    _check(lambda: load_sweep(WORLD, path), "spec.yaml")


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=2000))
def test_any_bytes_as_a_crisis_upload(data: bytes) -> None:
    from csto.domain.yamlfiles import decode

    def call() -> object:
        return crisis_text(decode(data, "upload.yaml"), "upload.yaml")

    _check(call, "upload.yaml")


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=2000))
def test_any_bytes_as_a_question_upload(data: bytes) -> None:
    from csto.domain.yamlfiles import decode

    def call() -> object:
        return question_text(decode(data, "upload.yaml"), "upload.yaml")

    _check(call, "upload.yaml")
