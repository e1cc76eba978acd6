"""The organization through time: membership, Secretaries General, article versions."""

from __future__ import annotations

from datetime import date

import pytest

from csto.domain import DateOutOfRange, NotFound, Organization, Status


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        ("1992-05-15", "ARM KAZ KGZ RUS TJK UZB"),
        ("1994-01-01", "ARM AZE BLR GEO KAZ KGZ RUS TJK UZB"),
        ("1999-04-19", "ARM AZE BLR GEO KAZ KGZ RUS TJK UZB"),
        ("1999-05-01", "ARM BLR KAZ KGZ RUS TJK"),
        ("2008-01-01", "ARM BLR KAZ KGZ RUS TJK UZB"),
        ("2012-09-01", "ARM BLR KAZ KGZ RUS TJK UZB"),
        ("2013-01-01", "ARM BLR KAZ KGZ RUS TJK"),
        ("2024-06-01", "ARM BLR KAZ KGZ RUS TJK"),
    ],
)
def test_members_on_date(org: Organization, on: str, expected: str) -> None:
    assert [s.code for s in org.members(date.fromisoformat(on))] == expected.split()


@pytest.mark.parametrize(
    ("code", "on", "status"),
    [
        ("AZE", "1993-09-23", Status.NON_MEMBER),
        ("AZE", "1993-09-24", Status.MEMBER),
        ("GEO", "2000-01-01", Status.PARTICIPATION_ENDED),
        ("UZB", "2012-09-01", Status.PARTICIPATION_FROZEN),
        ("UZB", "2013-01-01", Status.MEMBERSHIP_SUSPENDED),
        ("ARM", "2024-02-21", Status.MEMBER),
        ("ARM", "2024-06-01", Status.PARTICIPATION_FROZEN),
        ("RUS", "2024-06-01", Status.MEMBER),
        ("SRB", "2024-06-01", Status.NON_MEMBER),
    ],
)
def test_status(org: Organization, code: str, on: str, status: Status) -> None:
    assert org.status(code, date.fromisoformat(on)) is status


def test_former_lists_those_who_left(org: Organization) -> None:
    assert [s.code for s in org.former(date(2013, 1, 1))] == ["AZE", "GEO", "UZB"]
    assert [s.code for s in org.former(date(2008, 1, 1))] == ["AZE", "GEO"]


@pytest.mark.parametrize(
    ("on", "name"),
    [
        ("2002-01-01", None),
        ("2010-01-01", "Nikolai Bordyuzha"),
        ("2018-01-01", "Yuri Khachaturov"),
        ("2021-06-01", "Stanislav Zas"),
        ("2023-06-01", "Imangali Tasmagambetov"),
        ("2026-11-22", "Taalatbek Masadykov"),
    ],
)
def test_secretary_general(org: Organization, on: str, name: str | None) -> None:
    sg = org.secretary_general(date.fromisoformat(on))
    assert (sg.name if sg else None) == name


def test_cst_article_4_versions(org: Organization) -> None:
    old = org.article("CST", "4", date(2000, 1, 1))
    new = org.article("CST", "4", date(2015, 1, 1))
    assert (old.version.label, old.version.valid_from) == ("1992", date(1994, 4, 20))
    assert old.version.params["requires_request"] is False
    assert old.version.params["aggressor"] == "state"
    assert (new.version.label, new.version.valid_from) == ("2010", date(2012, 12, 19))
    assert new.version.params["requires_request"] is True
    # Signed in 2010, but the amendment is in force only from 2012-12-19.
    assert org.article("CST", "4", date(2011, 6, 1)).version.label == "1992"


def test_article_before_entry_into_force_is_flagged(org: Organization) -> None:
    found = org.article("CST", "4", date(1993, 1, 1))
    assert found.in_force is False
    assert found.version.label == "1992"


def test_unknown_article_and_instrument(org: Organization) -> None:
    with pytest.raises(NotFound, match="known: 1, 2"):
        org.article("CST", "99", date(2015, 1, 1))
    with pytest.raises(NotFound, match="instrument 'NATO'"):
        org.article("NATO", "5", date(2015, 1, 1))


def test_date_before_the_treaty(org: Organization) -> None:
    with pytest.raises(DateOutOfRange, match="did not exist yet"):
        org.members(date(1992, 5, 14))


def test_forces_figure_valid_on_date(org: Organization) -> None:
    forces = {f.force.id: f for f in org.forces_on(date(2015, 1, 1))}
    crrf = forces["CRRF"].figure
    assert crrf is not None
    assert crrf.personnel == 20000
    assert forces["CPF"].members == ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK")
    assert "CRRF" not in {f.force.id for f in org.forces_on(date(2008, 1, 1))}


def test_decision_rule_of_the_council_is_dated(org: Organization) -> None:
    rules = {b.body.id: b.decides_by.value.value for b in org.bodies_on(date(2010, 6, 1))}
    assert rules["CSC"] == "consensus"
    # The 2010 protocol amending the charter took effect on 2012-12-19.
    rules = {b.body.id: b.decides_by.value.value for b in org.bodies_on(date(2012, 12, 18))}
    assert rules["CSC"] == "consensus"
    rules = {b.body.id: b.decides_by.value.value for b in org.bodies_on(date(2013, 1, 1))}
    assert rules["CSC"] == "consensus_with_abstention"
