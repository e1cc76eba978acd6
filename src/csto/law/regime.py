"""The organization compiled into epoch tables, so rules evaluate over arrays of crises at once.

Every dated fact (membership events, article versions, relations, traits) changes only on a few dates.
Between two such dates the organization is constant: an *epoch*. A crisis's date picks its epoch with
one `searchsorted`, and every dated lookup becomes an array gather:

    status[e, m]            membership status code of data state m in epoch e
    relation[e, m, u]       relation rank between data state m and universe state u (u = -1: neutral)
    power, committed,       dated traits of data state m
      precedent_high[e, m],
      annex_refusal[e, m]
    backing[e, m]           the provider's stance toward m's incumbent: -1 dropped, 0 neutral, 1 backed
    dependence[e, m]        m's dependence on the provider, mean of arms, bases, economy (0-3)
    bilateral[e, u, k]      the provider has an instrument with state u covering crisis kind k
    partnered[e, u]         the provider has a security instrument with u in effect (any kind)
    initiated[e, m, u]      m started the war (or the conflict) it is in with u
    articles[(id, n)]       per epoch: the version in force (-1: none) and its parameters as arrays

    Regime                  the compiled tables, the global parameters and the decision rule; a reform
                            returns a changed copy (law/reforms.py), never edits the baseline
    compile_regime(org)     build the baseline regime (csto.world.World keeps it; nothing here caches)
    Citation                an article version as cited in a decision
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import numpy as np
from pydantic import Field

from csto.domain.contract import Contract
from csto.domain.crisis import Intensity, Measure
from csto.domain.errors import DataError, Problem
from csto.domain.iso import CODES
from csto.domain.models import CRISIS_KINDS, DecisionRule, RelationLevel, Status, TraitName
from csto.domain.organization import Organization

STATUS_CODES = {s: i for i, s in enumerate(Status)}
MEMBER_CODES = np.array([STATUS_CODES[Status.MEMBER], STATUS_CODES[Status.PARTICIPATION_FROZEN]])
FROZEN_CODE = STATUS_CODES[Status.PARTICIPATION_FROZEN]
NEUTRAL_RANK = RelationLevel.NEUTRAL.rank

# Articles the rules read, with the parameters each must define in every version.
REQUIRED_PARAMS: dict[tuple[str, str], tuple[str, ...]] = {
    ("CST", "1"): ("members_disputes_peaceful",),
    ("CST", "2"): ("max_measure", "covers_stability"),
    ("CST", "4"): ("aggressor", "requires_request", "max_measure"),
    ("CST", "6"): ("outside_territory",),
    ("CHARTER", "5"): ("non_interference",),
    ("PK", "3"): ("requires_request", "outside_territory", "max_measure"),
    ("CRDF-CA", "3"): ("requires_request", "max_measure", "area"),
    ("CRRF", "*"): ("max_measure",),
    ("MONITORING", "*"): ("max_measure", "requires_request"),
}

# How each global parameter is read: ladder values, intensities and relation levels by name.
PARAM_KINDS: dict[str, type] = {
    "no_appeal_cap": Measure,
    "members_dispute_cap": Measure,
    "outside_territory_cap": Measure,
    "non_interference_cap": Measure,
    "art2_floor": Measure,
    "party_cap": Measure,
    "ties_threshold": RelationLevel,
    "ties_cap": Measure,
    "precedent_cap": Measure,
    "stabilisation_max_intensity": Intensity,
    "cost_cap": Measure,
    "committed_capacity_max_intensity": Intensity,
    "committed_capacity_cap": Measure,
    "regime_survival_cap": Measure,
    "entanglement_cap": Measure,
    "member_prior": Measure,
    "collective_defence_support": Measure,
    "showcase_support": Measure,
    "showcase_max_intensity": Intensity,
    "incumbent_support": Measure,
    "dropped_incumbent_cap": Measure,
    "bilateral_preference_cap": Measure,
    "dependence_threshold": float,
    "no_host_consent_cap": Measure,
    "non_recognition_cap": Measure,
    "silence_cap": Measure,
    "violence_casualties": int,
    "own_forces_min_intensity": Intensity,
    "border_clash_min_intensity": Intensity,
}
# The parameters a sweep may draw from a list of named values (the others are numbers).
CATEGORICAL = {
    name for name, kind in PARAM_KINDS.items() if kind in (Measure, Intensity, RelationLevel)
}


class Citation(Contract):
    """An article version as a decision cites it."""

    instrument: str
    article: str  # "*" where the instrument is cited as a whole
    version: date = Field(description="the valid-from date of the version in force")
    label: str = Field(description="the version's short name, e.g. '1992' or '2010'")
    source: str
    in_force: bool = Field(
        default=True, description="false where the text was signed but not yet in force"
    )


@dataclass(frozen=True)
class ArticleTable:
    """One article across epochs: which version is in force, and its parameters per epoch.

    The per-epoch columns (flags, areas, measures) are built on first use and kept in `tables`,
    on this object: the rules ask for the same few columns for every crisis they decide."""

    key: tuple[str, str]
    version: np.ndarray  # (E,) int: index into the article's versions, -1 where not in force
    params: dict[str, np.ndarray]  # name -> (E,) values (object dtype), None where not in force
    tables: dict[tuple[Any, ...], np.ndarray] = field(
        default_factory=dict, compare=False, repr=False
    )

    def in_force(self) -> np.ndarray:
        return self.version >= 0

    def flag(self, name: str, equals: Any = True) -> np.ndarray:
        """(E,) bool: in force and the parameter equals `equals`."""
        key = ("flag", name, equals)
        found = self.tables.get(key)
        if found is None:
            values = self.params[name]
            found = np.asarray(
                np.array([v == equals for v in values], dtype=bool) & self.in_force()
            )
            found.flags.writeable = False
            self.tables[key] = found
        return found

    def area(self, name: str, universe_index: dict[str, int]) -> np.ndarray:
        """(E, U + 1) bool: the states a list parameter names, per epoch (the last slot stays False)."""
        key = ("area", name, len(universe_index))
        found = self.tables.get(key)
        if found is None:
            found = np.zeros((len(self.version), len(universe_index) + 1), dtype=bool)
            for e, codes in enumerate(self.params[name]):
                for code in codes or ():
                    found[e, universe_index[code]] = True
            found.flags.writeable = False
            self.tables[key] = found
        return found

    def measure(self, name: str = "max_measure") -> np.ndarray:
        """(E,) int8 ladder values; NONE where not in force."""
        key = ("measure", name)
        found = self.tables.get(key)
        if found is None:
            found = np.array(
                [Measure.parse(v) if v is not None else Measure.NONE for v in self.params[name]],
                dtype=np.int8,
            )
            found.flags.writeable = False
            self.tables[key] = found
        return found


@dataclass(frozen=True)
class Regime:
    org: Organization
    epoch_starts: np.ndarray  # (E,) int64 proleptic ordinals, increasing
    members: tuple[str, ...]  # data states, axis m
    universe: tuple[str, ...]  # every ISO 3166-1 state, axis u
    universe_index: dict[str, int]
    member_of_universe: np.ndarray  # (U + 1,) data index or -1; the last slot answers for u = -1
    status: np.ndarray  # (E, M) int8
    relation: np.ndarray  # (E, M, U + 1) int8 ranks; the last slot (u = -1) is neutral
    power: np.ndarray  # (E, M) bool
    committed: np.ndarray  # (E, M) bool
    precedent_high: np.ndarray  # (E, M) bool
    annex_refusal: np.ndarray  # (E, M) bool: does not recognise the provider's annexations
    backing: np.ndarray  # (E, M) int8
    dependence: np.ndarray  # (E, M) float32
    bilateral: np.ndarray  # (E, U + 1, K) bool
    partnered: np.ndarray  # (E, U + 1) bool: the provider has some security instrument with u
    initiated: np.ndarray  # (E, M, U + 1) bool
    provider: int  # data index of the state whose bilateral instruments the data lists
    articles: dict[tuple[str, str], ArticleTable]
    parties: dict[str, np.ndarray]  # instrument id -> (U + 1,) bool: a party to it
    params: dict[str, Any]
    abstention: np.ndarray  # (E,) bool: the Council's rule lets a member stand aside (bodies.yaml)
    decision_rule: DecisionRule = DecisionRule.CONSENSUS  # MAJORITY only under a reform
    request_needed: bool = True
    neutral_politics: bool = False  # every political factor switched off (reform neutral-politics)
    reforms: tuple[str, ...] = ()

    def epoch_of(self, ordinals: np.ndarray) -> np.ndarray:
        return np.searchsorted(self.epoch_starts, ordinals, side="right") - 1

    def article(self, instrument: str, number: str) -> ArticleTable:
        return self.articles[(instrument, number)]

    def cite(
        self, instrument: str, number: str, epoch: int, signed_only: bool = False
    ) -> Citation | None:
        """The article version in force in that epoch, or None if the instrument is not in force.

        With `signed_only`, an instrument signed but not yet in force is cited too (flagged so)."""
        inst = self.org.instrument(instrument)
        art = next((a for a in inst.articles if a.number == number), None)
        on = date.fromordinal(int(self.epoch_starts[epoch]))  # versions change only on epoch starts
        if art is None or on < inst.signed:
            return None
        found = self.org.article(instrument, number, on)
        if not found.in_force and not signed_only:
            return None
        version = found.version
        return Citation(
            instrument=instrument,
            article=number,
            version=version.valid_from,
            label=version.label,
            source=version.source,
            in_force=found.in_force,
        )

    def replace(self, **changes: Any) -> Regime:
        return dataclasses.replace(self, **changes)

    def is_member(self, status_codes: np.ndarray) -> np.ndarray:
        return np.asarray((status_codes == MEMBER_CODES[0]) | (status_codes == MEMBER_CODES[1]))


def _parse_params(org: Organization) -> dict[str, Any]:
    params: dict[str, Any] = {}
    for name, kind in PARAM_KINDS.items():
        param = org.parameter(name)
        try:
            if kind is Measure:
                params[name] = Measure.parse(param.value)
            elif kind is Intensity:
                params[name] = Intensity(str(param.value)).rank
            elif kind is RelationLevel:
                params[name] = RelationLevel(str(param.value)).rank
            elif isinstance(param.value, bool) or not isinstance(param.value, int | float):
                raise ValueError(name)
            else:
                params[name] = kind(param.value)
        except (ValueError, KeyError):
            if kind in (int, float):
                raise DataError(
                    "politics.yaml",
                    [Problem(f"parameters[{name}].value", param.value, "allowed: a number")],
                ) from None
            allowed = ", ".join(str(v.value if hasattr(v, "value") else v) for v in kind)  # type: ignore[attr-defined]
            raise DataError(
                "politics.yaml",
                [Problem(f"parameters[{name}].value", param.value, f"allowed: {allowed}")],
            ) from None
    return params


def _article_table(org: Organization, key: tuple[str, str], starts: list[date]) -> ArticleTable:
    inst = org.instrument(key[0])
    art = next((a for a in inst.articles if a.number == key[1]), None)
    if art is None:
        raise DataError(
            f"instruments/{key[0]}", [Problem("articles", key[1], "the rules need this article")]
        )
    for j, version in enumerate(art.versions):
        missing = [p for p in REQUIRED_PARAMS[key] if p not in version.params]
        if missing:
            raise DataError(
                f"instruments/{key[0]}",
                [
                    Problem(
                        f"articles[{key[1]}].versions[{j}].params",
                        dict(version.params),
                        f"the rules need the parameters {', '.join(REQUIRED_PARAMS[key])}",
                    )
                ],
            )
    index = np.full(len(starts), -1, dtype=np.int16)
    for e, start in enumerate(starts):
        live = (
            inst.in_force is not None
            and inst.in_force <= start
            and (inst.ended is None or start < inst.ended)
        )
        valid = [j for j, v in enumerate(art.versions) if v.valid_from <= start]
        if live and valid:
            index[e] = valid[-1]
    names = {n for v in art.versions for n in v.params}
    params = {
        n: np.array(
            [art.versions[j].params.get(n) if j >= 0 else None for j in index], dtype=object
        )
        for n in names
    }
    return ArticleTable(key, index, params)


def compile_regime(org: Organization) -> Regime:
    starts = list(org.change_dates)
    for inst in org.instruments:  # an instrument's ending changes what is in force
        if inst.ended is not None and inst.ended not in starts:
            starts.append(inst.ended)
    starts.sort()
    n_epochs = len(starts)
    members = org.state_codes
    universe = tuple(sorted(CODES | set(members)))
    u_index = {code: i for i, code in enumerate(universe)}
    member_of_universe = np.full(len(universe) + 1, -1, dtype=np.int16)
    for m, code in enumerate(members):
        member_of_universe[u_index[code]] = m

    status = np.zeros((n_epochs, len(members)), dtype=np.int8)
    power = np.zeros((n_epochs, len(members)), dtype=bool)
    committed = np.zeros_like(power)
    precedent = np.zeros_like(power)
    annex_refusal = np.zeros_like(power)
    backing = np.zeros((n_epochs, len(members)), dtype=np.int8)
    dependence = np.zeros((n_epochs, len(members)), dtype=np.float32)
    bilateral = np.zeros((n_epochs, len(universe) + 1, len(CRISIS_KINDS)), dtype=bool)
    partnered = np.zeros((n_epochs, len(universe) + 1), dtype=bool)
    relation = np.full((n_epochs, len(members), len(universe) + 1), NEUTRAL_RANK, dtype=np.int8)
    initiated = np.zeros((n_epochs, len(members), len(universe) + 1), dtype=bool)
    for e, start in enumerate(starts):
        for m, code in enumerate(members):
            status[e, m] = STATUS_CODES[org.status(code, start)]
            for name, target, value in (
                (TraitName.POWER_PROJECTION, power, "yes"),
                (TraitName.CAPACITY, committed, "committed"),
                (TraitName.PRECEDENT_SENSITIVITY, precedent, "high"),
                (TraitName.RECOGNISES_ANNEXATIONS, annex_refusal, "no"),
            ):
                trait = org.trait(code, name, start)
                target[e, m] = trait is not None and trait.value == value
            backing[e, m] = org.moscow_stance(code, start)[0].score
            record = org.dependence_on(code, start)
            dependence[e, m] = record.score if record is not None else 0.0
        for rel in org.relations:
            if rel.valid_from > start:
                continue
            for a, b in ((rel.a, rel.b), (rel.b, rel.a)):
                if a in members:
                    level, found = org.relation(a, b, start)
                    relation[e, members.index(a), u_index[b]] = level.rank
                    if found is not None and found.initiator == a:
                        initiated[e, members.index(a), u_index[b]] = True
        for pact in org.bilateral:
            if (
                pact.start is not None
                and pact.start <= start
                and (pact.ended is None or start < pact.ended)
            ):
                partnered[e, u_index[pact.partner]] = True
                for kind in pact.covers:
                    bilateral[e, u_index[pact.partner], CRISIS_KINDS.index(kind)] = True

    council = org.body("CSC")
    abstention = np.array(
        [
            [r for r in council.decides_by if r.valid_from <= start][-1].value
            is DecisionRule.CONSENSUS_WITH_ABSTENTION
            for start in starts
        ],
        dtype=bool,
    )
    parties = {}
    for inst in org.instruments:
        mask = np.zeros(len(universe) + 1, dtype=bool)
        for code in inst.parties:
            mask[u_index[code]] = True
        parties[inst.id] = mask

    return Regime(
        org=org,
        epoch_starts=np.array([d.toordinal() for d in starts], dtype=np.int64),
        members=members,
        universe=universe,
        universe_index=u_index,
        member_of_universe=member_of_universe,
        status=status,
        relation=relation,
        power=power,
        committed=committed,
        precedent_high=precedent,
        annex_refusal=annex_refusal,
        backing=backing,
        dependence=dependence,
        bilateral=bilateral,
        partnered=partnered,
        initiated=initiated,
        provider=members.index(org.provider),
        articles={key: _article_table(org, key, starts) for key in REQUIRED_PARAMS},
        parties=parties,
        params=_parse_params(org),
        abstention=abstention,
    )
