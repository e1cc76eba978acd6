"""The ISO 3166-1 snapshot csto reads at start-up is pycountry's list, code for code."""

from __future__ import annotations

from csto.domain.iso import CODES, snapshot


def test_the_snapshot_is_pycountrys_list() -> None:
    assert sorted(CODES) == snapshot(), "regenerate with: python -m csto.domain.iso"
    assert {"ARM", "KAZ", "RUS", "AZE", "SRB"} <= CODES
    assert "SUN" not in CODES  # the Soviet Union is not a current state
