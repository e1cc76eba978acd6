"""Hypothesis strategies for crisis files (format 1), valid and broken."""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

from csto.domain.crisis import Intensity, Invokes, Involvement, Kind, Measure

# A crisis file like Kazakhstan's in January 2022, for tests to copy and change.
UNREST: dict[str, Any] = {
    "format": 1,
    "id": "unrest",
    "title": "Unrest",
    "date": "2022-01-05",
    "appeal": {"by": "KAZ", "invokes": "art4"},
    "situation": {
        "kind": "internal_unrest",
        "territory": "KAZ",
        "opponents": ["non_state"],
        "foreign_involvement": "claimed",
        "intensity": "low",
    },
}


def unrest(**changes: Any) -> dict[str, Any]:
    """A copy of UNREST with top-level keys, or situation keys, replaced."""
    raw = {**UNREST, "appeal": dict(UNREST["appeal"]), "situation": dict(UNREST["situation"])}
    for key, value in changes.items():
        if key in raw:
            raw[key] = value
        else:
            raw["situation"][key] = value
    return raw


STATES = [
    "ARM",
    "AZE",
    "BLR",
    "GEO",
    "KAZ",
    "KGZ",
    "RUS",
    "TJK",
    "UZB",
    "UKR",
    "CHN",
    "AFG",
    "TUR",
    "SRB",
]


@st.composite
def crisis_dicts(draw: st.DrawFn) -> dict[str, Any]:
    opponents = draw(
        st.lists(st.sampled_from([*STATES, "non_state"]), min_size=1, max_size=3, unique=True)
    )
    appeal = draw(
        st.none()
        | st.fixed_dictionaries(
            {"by": st.sampled_from(STATES), "invokes": st.sampled_from([i.value for i in Invokes])},
            optional={"asks": st.sampled_from([m.label for m in Measure if m is not Measure.NONE])},
        )
    )
    if appeal is not None:
        opponents = [o for o in opponents if o != appeal["by"]] or ["non_state"]
    situation = draw(
        st.fixed_dictionaries(
            {
                "kind": st.sampled_from([k.value for k in Kind]),
                "territory": st.sampled_from(STATES),
                "opponents": st.just(opponents),
                "foreign_involvement": st.sampled_from([f.value for f in Involvement]),
                "intensity": st.sampled_from([i.value for i in Intensity]),
            },
            optional={
                "government_at_risk": st.booleans(),
                "casualties": st.integers(0, 10_000),
                "un_mandate": st.booleans(),
            },
        )
    )
    return coherent(
        {
            "format": 1,
            "id": "generated",
            "title": "A generated crisis",
            "date": draw(
                st.dates(min_value=date(1992, 5, 15), max_value=date(2030, 12, 31))
            ).isoformat(),
            "appeal": appeal,
            "situation": situation,
        }
    )


def coherent(raw: dict[str, Any]) -> dict[str, Any]:
    """A generated crisis made consistent the way the format demands: no state attacks its own
    territory, no war abroad on the appellant's own soil, deaths within the intensity's scale."""
    situation = dict(raw["situation"])
    if situation["kind"] in ("armed_attack", "border_clash"):
        situation["opponents"] = [
            o for o in situation["opponents"] if o != situation["territory"]
        ] or ["non_state"]
    appeal = raw.get("appeal")
    if appeal and situation["kind"] == "war_abroad" and situation["territory"] == appeal["by"]:
        situation["kind"] = "armed_attack"
        situation["opponents"] = [
            o for o in situation["opponents"] if o != situation["territory"]
        ] or ["non_state"]
    most = {"low": 1_000, "medium": 10_000}.get(situation["intensity"])
    if most is not None and situation.get("casualties") is not None:
        situation["casualties"] = min(situation["casualties"], most)
    return {**raw, "situation": situation}


# (where, bad value): each breaks a valid file in one place.
BREAKAGES: list[tuple[tuple[str, ...], Any]] = [
    (("format",), 2),
    (("id",), "Not A Slug"),
    (("date",), "2022-02-30"),
    (("date",), "yesterday"),
    (("situation", "kind"), "invasion"),
    (("situation", "territory"), "XXX"),
    (("situation", "territory"), "kaz"),
    (("situation", "opponents"), []),
    (("situation", "opponents"), ["ZZZ"]),
    (("situation", "intensity"), 5),
    (("situation", "foreign_involvement"), "maybe"),
    (("situation", "casualties"), -3),
    (("situation", "colour"), "red"),
    (("appeal",), "KAZ"),
    (("appeal", "by"), "USSR"),
    (("appeal", "invokes"), "art5"),
    (("appeal", "asks"), "war"),
    (("appeal", "asks"), "none"),
    (("situation", "government_at_risk"), "yes"),
    (("record",), {"outcome": "victory"}),
    (("surprise",), True),
]


@st.composite
def broken_crisis_dicts(draw: st.DrawFn) -> tuple[dict[str, Any], tuple[str, ...], Any]:
    raw = draw(crisis_dicts())
    where, value = draw(st.sampled_from(BREAKAGES))
    if where[0] == "appeal" and len(where) > 1 and raw["appeal"] is None:
        raw["appeal"] = {"by": "KAZ", "invokes": "art4"}
    target = raw
    for key in where[:-1]:
        target = target[key]
    target[where[-1]] = value
    return raw, where, value


def random_batch(
    regime: Any, n: int, seed: int, overrides: bool = True, focused: bool = False
) -> Any:
    """n random crises as columns (no Crisis objects: fast enough for 100,000), with random
    per-crisis parameters and provider commitment when `overrides`. `focused`: half the crises are
    a treaty member appealing about its own territory after 2000, where most of the rules bite."""
    import numpy as np

    from csto.law import CrisisBatch
    from csto.law.batch import INVOKES, KINDS, OPPONENT_SLOTS
    from csto.law.regime import PARAM_KINDS

    rng = np.random.default_rng(seed)
    ui = regime.universe_index
    states = np.array([ui[s] for s in STATES], dtype=np.int16)
    start, end = date(1992, 5, 15).toordinal(), date(2030, 12, 31).toordinal()
    appeal = rng.random(n) >= 0.2
    appellant = np.where(appeal, rng.choice(states, n), -1).astype(np.int16)
    territory = np.where(appeal & (rng.random(n) < 0.6), appellant, rng.choice(states, n)).astype(
        np.int16
    )
    opponents = rng.choice(states, (n, OPPONENT_SLOTS)).astype(np.int16)
    opponents[rng.random((n, OPPONENT_SLOTS)) < 0.5] = -1
    ordinal = rng.integers(start, end, n)
    if focused:
        members = np.array([ui[s] for s in ("ARM", "BLR", "KAZ", "KGZ", "RUS", "TJK")])
        inside = rng.random(n) < 0.5
        appeal |= inside
        appellant = np.where(inside, rng.choice(members, n), appellant).astype(np.int16)
        territory = np.where(inside, appellant, territory).astype(np.int16)
        opponents[inside & (rng.random(n) < 0.7)] = -1
        ordinal = np.where(inside, rng.integers(date(2000, 1, 1).toordinal(), end, n), ordinal)
    opponents[opponents == appellant[:, None]] = -1
    extra: dict[str, Any] = {}
    if overrides:
        for name, kind in PARAM_KINDS.items():
            if rng.random() < 0.6:
                if kind is float:  # a dependence threshold on the 0-3 scale
                    extra[name] = rng.choice([0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0], n)
                elif kind is int:  # casualties
                    extra[name] = rng.choice([0, 10, 100, 1000], n).astype(np.int64)
                else:
                    top = 6 if kind is Measure else 3 if kind is Intensity else 6
                    extra[name] = rng.integers(0, top, n).astype(np.int8)
        if rng.random() < 0.6:
            extra["provider_committed"] = rng.random(n) < 0.5
    return CrisisBatch.from_arrays(
        regime,
        overrides=extra,
        ordinal=ordinal,
        appellant=appellant,
        invokes=np.where(appeal, rng.integers(0, len(INVOKES), n), -1).astype(np.int8),
        asks=np.where(appeal, rng.integers(1, 6, n), int(Measure.DEPLOYMENT)).astype(np.int8),
        kind=rng.integers(0, len(KINDS), n).astype(np.int8),
        territory=territory,
        opponents=opponents,
        foreign=rng.integers(0, 3, n).astype(np.int8),
        intensity=rng.integers(0, 3, n).astype(np.int8),
        government_at_risk=rng.random(n) < 0.5,
        un_mandate=rng.random(n) < 0.15,
        casualties=np.where(rng.random(n) < 0.3, -1, rng.integers(0, 3000, n)).astype(np.int32),
        host_consent=rng.integers(-1, 2, n).astype(np.int8),
    )
