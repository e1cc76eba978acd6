"""One tiny broken data file per failure mode; each must stop the load with one clear message.

Each file in tests/data/broken/ says in its header which data file it replaces (`# replaces:`) and
what the message must contain (`# expect:` lines: the key path, the bad value, what is allowed).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from csto.domain import DataError, load_organization

from .conftest import BROKEN


def _header(path: Path, key: str) -> list[str]:
    prefix = f"# {key}: "
    return [
        line[len(prefix) :].strip()
        for line in path.read_text().splitlines()
        if line.startswith(prefix)
    ]


CASES = sorted(BROKEN.glob("*.yaml"))


def test_there_is_a_broken_file_per_failure_mode() -> None:
    names = {p.stem for p in CASES}
    assert {
        "wrong_type",
        "unknown_code",
        "contradictory_events",
        "bad_date",
        "overlapping_terms",
    } <= names


@pytest.mark.parametrize("broken", CASES, ids=[p.stem for p in CASES])
def test_broken_file_gets_one_clear_message(broken: Path, data_copy: Path) -> None:
    (target,) = _header(broken, "replaces")
    shutil.copy(broken, data_copy / target)
    with pytest.raises(DataError) as caught:
        load_organization(data_copy)
    message = str(caught.value)
    assert message.startswith(str(data_copy / target) + ":"), message
    assert len(message.splitlines()) == 1, message
    for expected in _header(broken, "expect"):
        assert expected in message, f"{expected!r} not in {message!r}"


def test_a_missing_data_file_is_named(data_copy: Path) -> None:
    (data_copy / "forces.yaml").unlink()
    with pytest.raises(DataError, match=r"forces\.yaml: \(file\): got no such file"):
        load_organization(data_copy)
