"""The README's examples do what the README says: every `csto` line of its ```sh blocks runs, as
the user would type it, with the installed `csto` command, in a fresh folder with its own store.

Each must exit 0 without a traceback; a file it names with --plot, --out or --write must exist; and
where the README states the shape of a command's JSON (" `csto X ... --json` prints `{"a", "b": ...}` ")
the example's JSON has those keys. The README's crisis file (its ```yaml block) is assessed too.

Skipped, and why: the `make` lines of the set-up block (they build the environment these tests run
in); a line whose command is not `csto`. Placeholders are filled in: RUN_ID with a stored run's id,
a `--db` URL whose host is the placeholder `host` with this test's store (PostgreSQL when
CSTO_TEST_POSTGRES_URL is set, else a SQLite file). New lines in the README are picked up as they
come; nothing here names a particular example.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
CSTO = Path(sys.executable).parent / "csto"
TIMEOUT = 300  # seconds for one example (the README's million-scenario sweep takes a few)


@dataclass(frozen=True)
class Example:
    line: int
    words: tuple[str, ...]  # the command's arguments after `csto`
    comment: str

    @property
    def command(self) -> str:
        return next((w for w in self.words if not w.startswith("-")), "")

    def __str__(self) -> str:
        return f"README.md:{self.line}: csto {' '.join(self.words)}"


def examples(text: str) -> list[Example]:
    found = []
    for block in re.finditer(r"```sh\n(.*?)```", text, re.S):
        first = text[: block.start()].count("\n") + 2
        for k, raw in enumerate(block.group(1).splitlines()):
            code, _, comment = raw.partition(" #")
            words = shlex.split(code)
            if not words or Path(words[0]).name != "csto":
                continue  # `make run`, `make test`: they build the environment this test runs in
            found.append(Example(first + k, tuple(words[1:]), comment.strip()))
    return found


def _top_level_keys(shape: str) -> set[str]:
    """The quoted names at the outer level of a shape such as {"a", "b": {"c"}, "d": [...]}."""
    keys, depth, k = set(), 0, 0
    while k < len(shape):
        c = shape[k]
        if c in "{[":
            depth += 1
        elif c in "}]":
            depth -= 1
        elif c == '"':
            end = shape.index('"', k + 1)
            if depth == 1:
                keys.add(shape[k + 1 : end])
            k = end
        k += 1
    return keys


def stated_shapes(text: str) -> dict[str, set[str]]:
    """command -> the top-level keys the README says its --json prints."""
    shapes: dict[str, set[str]] = {}
    for paragraph in re.split(r"\n\s*\n", text):
        for found in re.finditer(r"--json` prints\s+`(\{[^`]*\})`", paragraph):
            named = re.findall(r"`csto ([a-z][a-z-]*)", paragraph[: found.start() + 20])
            if named:
                shapes.setdefault(named[-1], set()).update(_top_level_keys(found.group(1)))
    return shapes


TEXT = README.read_text()
EXAMPLES = examples(TEXT)
SHAPES = stated_shapes(TEXT)


def test_the_readme_has_examples_and_shapes() -> None:
    assert len(EXAMPLES) >= 10
    assert {"assess", "simulate", "org"} <= set(SHAPES)
    assert {"run_id", "outcome", "milestones", "forces"} <= SHAPES["simulate"]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A folder the examples run in (with the repository's examples/ beside them), a store of
    its own, and a data folder of its own, so nothing touches the user's."""
    folder = tmp_path_factory.mktemp("readme")
    (folder / "examples").symlink_to(ROOT / "examples")
    env = {
        **os.environ,
        "CSTO_DB": f"sqlite:///{folder / 'runs.db'}",
        "XDG_DATA_HOME": str(folder / "data-home"),
        "COLUMNS": "160",
    }
    return {"folder": folder, "env": env}


def _run(workspace: dict[str, Any], words: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CSTO), *words],
        cwd=workspace["folder"],
        env=workspace["env"],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )


def _a_run_id(workspace: dict[str, Any]) -> str:
    listed = json.loads(_run(workspace, ["runs", "list", "--json"]).stdout)
    if listed:
        return str(listed[0]["run_id"])
    made = _run(workspace, ["simulate", "kazakhstan-2022", "--json"])
    return str(json.loads(made.stdout)["run_id"])


def _store_url(workspace: dict[str, Any]) -> str:
    url = os.environ.get("CSTO_TEST_POSTGRES_URL")
    return url or f"sqlite:///{workspace['folder'] / 'upgraded.db'}"


def _filled(example: Example, workspace: dict[str, Any]) -> list[str]:
    words = []
    for word in example.words:
        if word == "RUN_ID":
            word = _a_run_id(workspace)
        elif "://" in word and re.search(r"@host(:\d+)?/", word):
            word = _store_url(workspace)
        words.append(word)
    return words


def _files(words: list[str]) -> list[str]:
    return [words[k + 1] for k, w in enumerate(words[:-1]) if w in ("--plot", "--out", "--write")]


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"line-{e.line}" for e in EXAMPLES])
def test_a_readme_example_does_what_the_readme_says(
    example: Example, workspace: dict[str, Any]
) -> None:
    words = _filled(example, workspace)
    for name in _files(words):
        (workspace["folder"] / name).unlink(missing_ok=True)
    done = _run(workspace, words)
    assert done.returncode == 0, f"{example}\n{done.stdout[-2000:]}\n{done.stderr[-2000:]}"
    assert "Traceback" not in done.stderr, f"{example}\n{done.stderr}"
    for name in _files(words):
        assert (workspace["folder"] / name).exists(), f"{example}: {name} was not written"
    if "--json" in words:
        data = json.loads(done.stdout)
        stated = SHAPES.get(example.command, set())
        missing = stated - set(data) if isinstance(data, dict) else set()
        assert not missing, f"{example}: the README says --json prints {sorted(missing)}"
    else:
        assert done.stdout.strip(), f"{example} printed nothing"


def test_the_readmes_crisis_file_is_a_crisis_file(workspace: dict[str, Any]) -> None:
    blocks = re.findall(r"```yaml\n(.*?)```", TEXT, re.S)
    crises = [b for b in blocks if b.lstrip().startswith("format: 1") and "situation:" in b]
    assert crises, "the README shows no crisis file"
    for k, block in enumerate(crises):
        path = workspace["folder"] / f"readme-crisis-{k}.yaml"
        path.write_text(block)
        done = _run(workspace, ["assess", str(path), "--json"])
        assert done.returncode == 0, done.stderr
        assert set(json.loads(done.stdout)) >= SHAPES["assess"]


def test_the_shape_reader_reads_what_the_readme_writes() -> None:
    text = (
        '`csto thing FILE --json` prints `{"a", "b": {"c", "d"}, "e" (a note), '
        '"f": [...], "g": {ISO3: {"h"}}}`.\n\n'
        '`csto other` does things. `--json` prints\n`{"x", "y": {...}}`; more.'
    )
    assert stated_shapes(text) == {"thing": {"a", "b", "e", "f", "g"}, "other": {"x", "y"}}
    lines = examples("```sh\nmake run  # set-up\n.venv/bin/csto org --at 2024-06-01  # x\n```\n")
    assert [(e.line, e.words, e.comment) for e in lines] == [
        (3, ("org", "--at", "2024-06-01"), "x")
    ]
