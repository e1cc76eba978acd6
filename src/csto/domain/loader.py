"""Read the YAML data once, validate it, and build the frozen Organization.

    load_yaml(path)            parse one YAML file; a syntax error becomes a DataError
    validate(model, raw, ...)  pydantic validation with errors rewritten as file / key path / value /
                               what is allowed
    load_organization(dir)     every file of the data directory, then the checks across records
    DATA_DIR                   the data shipped inside the package

The checks across records: each state's events follow the allowed transitions in date order, codes
named anywhere belong to a known state, article versions and dated values are in date order, the
Secretaries General's terms do not overlap, the chairs follow one another (a handover day may end
one and start the next), and each state comes once in the rotation's order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from csto.domain.benefits import Benefit
from csto.domain.errors import DataError, Problem
from csto.domain.models import (
    TRAIT_VALUES,
    TRANSITIONS,
    BilateralInstrument,
    Body,
    Dependence,
    EventKind,
    Force,
    Instrument,
    Leader,
    Parameter,
    Relation,
    SecretaryGeneral,
    SourceEntry,
    State,
    Status,
    StatusGrant,
    Trait,
)
from csto.domain.offices import Chair, Rotation
from csto.domain.organization import Organization
from csto.domain.yamlfiles import load_yaml

DATA_DIR = Path(__file__).resolve().parent.parent / "data"

M = TypeVar("M", bound=BaseModel)

# What pydantic's error types mean, in words a data author can act on.
_ALLOWED_BY_TYPE = {
    "date_from_datetime_parsing": "allowed: an ISO date YYYY-MM-DD that exists in the calendar",
    "date_parsing": "allowed: an ISO date YYYY-MM-DD that exists in the calendar",
    "date_type": "allowed: an ISO date YYYY-MM-DD",
    "date_from_datetime_inexact": "allowed: an ISO date YYYY-MM-DD without a time",
    "missing": "this key is required",
    "int_parsing": "allowed: a whole number",
    "int_type": "allowed: a whole number",
    "bool_parsing": "allowed: true or false",
    "bool_type": "allowed: true or false",
    "string_type": "allowed: a text string",
    "tuple_type": "allowed: a list",
    "list_type": "allowed: a list",
    "dict_type": "allowed: a mapping of keys to values",
    "model_type": "allowed: a mapping of keys to values",
}


def key_path(loc: Iterable[str | int]) -> str:
    """('states', 3, 'events', 0, 'date') -> 'states[3].events[0].date'."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _problem(err: Any, model: type[BaseModel], prefix: Sequence[str | int]) -> Problem:
    loc: list[str | int] = []
    for part in err["loc"]:
        # Drop what pydantic adds for unions and validators (model names, tags): keep the key path.
        if isinstance(part, str) and (part.startswith("function-") or part[:1].isupper()):
            continue
        if loc and part == loc[-1] and isinstance(part, str):
            continue
        loc.append(part)
    path = key_path([*prefix, *loc])
    kind = err["type"]
    if kind == "extra_forbidden":
        allowed = f"unknown key; allowed keys here: {', '.join(_fields_at(model, loc))}"
    elif kind in _ALLOWED_BY_TYPE and kind != "missing":
        allowed = _ALLOWED_BY_TYPE[kind]
    elif kind == "missing":
        return Problem(path=path, value=None, allowed="this key is required but missing")
    elif kind == "string_pattern_mismatch":
        allowed = f"allowed: text matching {err.get('ctx', {}).get('pattern', 'the pattern')}"
    else:
        msg = str(err["msg"]).removeprefix("Value error, ")
        if msg.startswith("Input should be "):
            allowed = "allowed: " + msg.removeprefix("Input should be ")
        elif msg.startswith(("allowed", "must", "this key")):
            allowed = msg
        else:
            allowed = "allowed: " + msg[0].lower() + msg[1:] if msg else "invalid"
    return Problem(path=path, value=err.get("input"), allowed=allowed)


def _fields_at(model: type[BaseModel], loc: Sequence[str | int]) -> list[str]:
    """The keys the model allows at the mapping that holds the unknown key."""
    current: Any = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if hasattr(current, "model_fields") else None
        if field is None:
            return []
        current = _inner_model(field.annotation)
    return sorted(current.model_fields) if hasattr(current, "model_fields") else []


def _inner_model(annotation: Any) -> Any:
    """The model inside an annotation; for a union of models, one listing all their fields."""
    found = _models_in(annotation)
    if len(found) == 1:
        return found[0]
    if found:  # a union of models: any of their keys is allowed here
        return type(
            "Union", (), {"model_fields": {k: v for m in found for k, v in m.model_fields.items()}}
        )
    return None


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return [m for arg in getattr(annotation, "__args__", ()) or () for m in _models_in(arg)]


def validate(
    model: type[M],
    raw: Any,
    file: Path | str,
    prefix: Sequence[str | int] = (),
    error: type[DataError] = DataError,
) -> M:
    """Validate one record; pydantic's errors become one DataError naming file, path, value, rule."""
    try:
        return model.model_validate(raw)
    except ValidationError as exc:
        errors = exc.errors()
        # An error at a container whose item also failed is a consequence, not a second fault.
        locs = [tuple(e["loc"]) for e in errors]
        roots = [
            e
            for e, loc in zip(errors, locs, strict=True)
            if not any(other != loc and other[: len(loc)] == loc for other in locs)
        ]
        raise error(file, [_problem(e, model, prefix) for e in roots]) from None


def _records(raw: Any, key: str, file: Path) -> list[Any]:
    if not isinstance(raw, dict) or key not in raw:
        raise DataError(
            file, [Problem("", _short(raw), f"allowed: a mapping with the key {key!r}")]
        )
    extra = sorted(set(raw) - {key})
    if extra:
        raise DataError(file, [Problem(extra[0], raw[extra[0]], f"unknown key; allowed: {key}")])
    items = raw[key]
    if not isinstance(items, list):
        raise DataError(file, [Problem(key, _short(items), "allowed: a list of records")])
    return items


def _short(value: Any) -> Any:
    text = repr(value)
    return value if len(text) < 80 else text[:77] + "..."


def _load_list(dir_: Path, name: str, key: str, model: type[M]) -> tuple[list[M], Path]:
    file = dir_ / name
    items = _records(load_yaml(file), key, file)
    return [validate(model, item, file, (key, i)) for i, item in enumerate(items)], file


def check_states(states: list[State], file: Path | str) -> None:
    seen: set[str] = set()
    for i, state in enumerate(states):
        if state.code in seen:
            raise DataError(file, [Problem(f"states[{i}].code", state.code, "each state once")])
        seen.add(state.code)
        status = Status.NON_MEMBER
        previous: date | None = None
        for j, event in enumerate(state.events):
            where = f"states[{i}].events[{j}]"
            if previous is not None and event.date <= previous:
                raise DataError(
                    file,
                    [
                        Problem(
                            f"{where}.date",
                            event.date.isoformat(),
                            f"events must be in date order, one per date: after {previous.isoformat()}",
                        )
                    ],
                )
            allowed_from, leads_to = TRANSITIONS[event.kind]
            if status not in allowed_from:
                need = " or ".join(sorted(s.value for s in allowed_from))
                raise DataError(
                    file,
                    [
                        Problem(
                            f"{where}.kind",
                            event.kind.value,
                            f"contradicts the earlier events: {state.code} is {status.value} on "
                            f"{event.date.isoformat()}, and {event.kind.value} needs {need}",
                        )
                    ],
                )
            status = leads_to or status
            previous = event.date


def _check_known(codes: Iterable[tuple[str, str]], known: set[str], file: Path | str) -> None:
    for path, code in codes:
        if code not in known:
            raise DataError(
                file,
                [
                    Problem(
                        path, code, f"allowed: a state of members.yaml ({', '.join(sorted(known))})"
                    )
                ],
            )


def _check_dated(values: Sequence[Any], attr: str, path: str, file: Path) -> None:
    for k in range(1, len(values)):
        if getattr(values[k], attr) <= getattr(values[k - 1], attr):
            raise DataError(
                file,
                [
                    Problem(
                        f"{path}[{k}].{attr}",
                        getattr(values[k], attr).isoformat(),
                        f"dated values must be in increasing date order, after "
                        f"{getattr(values[k - 1], attr).isoformat()}",
                    )
                ],
            )


def _check_instrument(inst: Instrument, file: Path) -> None:
    numbers: set[str] = set()
    for i, art in enumerate(inst.articles):
        if art.number in numbers:
            raise DataError(
                file, [Problem(f"articles[{i}].number", art.number, "each article once")]
            )
        numbers.add(art.number)
        _check_dated(art.versions, "valid_from", f"articles[{i}].versions", file)
        for j, version in enumerate(art.versions):
            if version.valid_from < version.adopted:
                raise DataError(
                    file,
                    [
                        Problem(
                            f"articles[{i}].versions[{j}].valid_from",
                            version.valid_from.isoformat(),
                            f"allowed: on or after the date adopted ({version.adopted.isoformat()})",
                        )
                    ],
                )
    if inst.in_force is not None and inst.in_force < inst.signed:
        raise DataError(
            file,
            [
                Problem(
                    "in_force", inst.in_force.isoformat(), "allowed: on or after the date signed"
                )
            ],
        )


def _check_terms(sgs: list[SecretaryGeneral], file: Path) -> None:
    for i, sg in enumerate(sgs):
        if sg.end is not None and sg.end < sg.start:
            raise DataError(
                file,
                [
                    Problem(
                        f"secretaries_general[{i}].end",
                        sg.end.isoformat(),
                        "allowed: on or after start",
                    )
                ],
            )
        if i and (sgs[i - 1].end is None or sgs[i - 1].end >= sg.start):  # type: ignore[operator]
            raise DataError(
                file,
                [
                    Problem(
                        f"secretaries_general[{i}].start",
                        sg.start.isoformat(),
                        f"terms must not overlap: the previous term ends {sgs[i - 1].end}",
                    )
                ],
            )


def _check_chairs(chairs: list[Chair], file: Path) -> None:
    for i, chair in enumerate(chairs):
        if chair.end < chair.start:
            raise DataError(
                file,
                [Problem(f"chairs[{i}].end", chair.end.isoformat(), "allowed: on or after start")],
            )
        if i and chair.start < chairs[i - 1].end:
            raise DataError(
                file,
                [
                    Problem(
                        f"chairs[{i}].start",
                        chair.start.isoformat(),
                        f"chairs follow one another: allowed on or after {chairs[i - 1].end.isoformat()}"
                        " (the previous chair's last day, a handover day)",
                    )
                ],
            )


def _load_rotation(file: Path, known: set[str]) -> Rotation:
    raw = load_yaml(file)
    if not isinstance(raw, dict) or set(raw) != {"rotation"}:
        raise DataError(
            file, [Problem("", _short(raw), "allowed: a mapping with the key 'rotation'")]
        )
    rotation = validate(Rotation, raw["rotation"], file, ("rotation",))
    _check_known(
        ((f"rotation.order[{i}]", code) for i, code in enumerate(rotation.order)), known, file
    )
    for i, code in enumerate(rotation.order):
        if rotation.order.index(code) != i:
            raise DataError(file, [Problem(f"rotation.order[{i}]", code, "each state once")])
    if rotation.first < rotation.decided:
        raise DataError(
            file,
            [
                Problem(
                    "rotation.from",
                    rotation.first.isoformat(),
                    f"allowed: on or after the decision ({rotation.decided.isoformat()})",
                )
            ],
        )
    return rotation


def _check_benefits(benefits: list[Benefit], known: set[str], file: Path) -> None:
    ids = [b.id for b in benefits]
    for i, benefit in enumerate(benefits):
        if ids.index(benefit.id) != i:
            raise DataError(file, [Problem(f"benefits[{i}].id", benefit.id, "each id once")])
        _check_known(
            ((f"benefits[{i}].parties[{j}]", c) for j, c in enumerate(benefit.parties)), known, file
        )
        _check_known(
            ((f"benefits[{i}].losses[{j}].state", x.state) for j, x in enumerate(benefit.losses)),
            known,
            file,
        )


def data_hash(files: Iterable[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(files):
        digest.update(str(file.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(file.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


def _check_leaders(leaders: list[Leader], known: set[str], file: Path) -> None:
    """Known states; each term ends on or after it starts; one state's terms do not overlap;
    the provider's stances are in date order within the term."""
    last: dict[str, Leader] = {}
    for i, leader in enumerate(leaders):
        _check_known([(f"leaders[{i}].code", leader.code)], known, file)
        if leader.end is not None and leader.end < leader.start:
            raise DataError(
                file,
                [
                    Problem(
                        f"leaders[{i}].end", leader.end.isoformat(), "allowed: on or after start"
                    )
                ],
            )
        before = last.get(leader.code)
        if before is not None and (before.end is None or before.end >= leader.start):
            raise DataError(
                file,
                [
                    Problem(
                        f"leaders[{i}].start",
                        leader.start.isoformat(),
                        f"terms of {leader.code} must not overlap: {before.name}'s term "
                        f"{'has no end' if before.end is None else 'ends ' + before.end.isoformat()}",
                    )
                ],
            )
        last[leader.code] = leader
        _check_dated(leader.moscow, "valid_from", f"leaders[{i}].moscow", file)


def _check_series(records: Sequence[Any], known: set[str], file: Path, key: str) -> None:
    """Dated records per state: known states, increasing dates for each."""
    seen: dict[str, Any] = {}
    for i, record in enumerate(records):
        _check_known([(f"{key}[{i}].code", record.code)], known, file)
        before = seen.get(record.code)
        if before is not None and record.valid_from <= before.valid_from:
            raise DataError(
                file,
                [
                    Problem(
                        f"{key}[{i}].valid_from",
                        record.valid_from.isoformat(),
                        f"entries of {record.code} must be in increasing date order, after "
                        f"{before.valid_from.isoformat()}",
                    )
                ],
            )
        seen[record.code] = record


def _load_bilateral(file: Path, known: set[str]) -> tuple[str, list[BilateralInstrument]]:
    raw = load_yaml(file)
    if not isinstance(raw, dict) or set(raw) != {"provider", "instruments"}:
        raise DataError(
            file,
            [
                Problem(
                    "",
                    _short(raw),
                    "allowed: a mapping with exactly the keys provider, instruments",
                )
            ],
        )
    provider = raw["provider"]
    _check_known([("provider", str(provider))], known, file)
    items = _records({"instruments": raw["instruments"]}, "instruments", file)
    instruments = [
        validate(BilateralInstrument, item, file, ("instruments", i))
        for i, item in enumerate(items)
    ]
    ids: set[str] = set()
    for i, inst in enumerate(instruments):
        if inst.id in ids:
            raise DataError(
                file, [Problem(f"instruments[{i}].id", inst.id, "each instrument id once")]
            )
        ids.add(inst.id)
        start = inst.start
        if start is not None and inst.ended is not None and inst.ended <= start:
            raise DataError(
                file,
                [
                    Problem(
                        f"instruments[{i}].ended",
                        inst.ended.isoformat(),
                        "allowed: after it took effect",
                    )
                ],
            )
    return str(provider), instruments


def data_files(data_dir: Path) -> list[Path]:
    """The files the organization is built from: every data file except the case catalogues."""
    catalogues = {"cases", "questions"}
    return [
        p
        for p in data_dir.rglob("*")
        if p.suffix in (".yaml", ".txt") and not catalogues & set(p.relative_to(data_dir).parts)
    ]


def load_organization(data_dir: Path = DATA_DIR) -> Organization:
    """Load and validate every data file of `data_dir` (without the crisis cases)."""
    states, members_file = _load_list(data_dir, "members.yaml", "states", State)
    check_states(states, members_file)
    known = {s.code for s in states}

    instruments: list[Instrument] = []
    inst_files = sorted((data_dir / "instruments").glob("*.yaml"))
    for file in inst_files:
        raw = load_yaml(file)
        inst = validate(Instrument, raw, file)
        _check_instrument(inst, file)
        instruments.append(inst)
    ids = [inst.id for inst in instruments]
    for inst, file in zip(instruments, inst_files, strict=True):
        if ids.count(inst.id) > 1:
            raise DataError(
                file, [Problem("id", inst.id, "each instrument id once across instruments/")]
            )
        if inst.replaced_by is not None and inst.replaced_by not in ids:
            raise DataError(
                file, [Problem("replaced_by", inst.replaced_by, f"allowed: one of {ids}")]
            )

    bodies, bodies_file = _load_list(data_dir, "bodies.yaml", "bodies", Body)
    for i, body in enumerate(bodies):
        _check_dated(body.composition, "valid_from", f"bodies[{i}].composition", bodies_file)
        _check_dated(body.decides_by, "valid_from", f"bodies[{i}].decides_by", bodies_file)

    sgs, sg_file = _load_list(data_dir, "officials.yaml", "secretaries_general", SecretaryGeneral)
    _check_terms(sgs, sg_file)
    _check_known(
        ((f"secretaries_general[{i}].state", sg.state) for i, sg in enumerate(sgs)), known, sg_file
    )

    grants, _ = _load_list(data_dir, "statuses.yaml", "grants", StatusGrant)

    forces, forces_file = _load_list(data_dir, "forces.yaml", "forces", Force)
    for i, force in enumerate(forces):
        _check_dated(force.members, "valid_from", f"forces[{i}].members", forces_file)
        _check_dated(force.figures, "as_of", f"forces[{i}].figures", forces_file)
        _check_known(
            (
                (f"forces[{i}].members[{j}].members", code)
                for j, m in enumerate(force.members)
                for code in m.members
            ),
            known,
            forces_file,
        )

    relations, rel_file = _load_list(data_dir, "relations.yaml", "relations", Relation)
    for i, rel in enumerate(relations):
        if rel.a not in known:
            _check_known([(f"relations[{i}].a", rel.a)], known, rel_file)
        if rel.a == rel.b:
            raise DataError(
                rel_file, [Problem(f"relations[{i}].b", rel.b, "allowed: a state other than a")]
            )

    politics_file = data_dir / "politics.yaml"
    politics_raw = load_yaml(politics_file)
    if not isinstance(politics_raw, dict) or set(politics_raw) != {"parameters", "traits"}:
        raise DataError(
            politics_file,
            [
                Problem(
                    "",
                    _short(politics_raw),
                    "allowed: a mapping with exactly the keys parameters, traits",
                )
            ],
        )
    parameters = [
        validate(Parameter, item, politics_file, ("parameters", i))
        for i, item in enumerate(
            _records({"parameters": politics_raw["parameters"]}, "parameters", politics_file)
        )
    ]
    names = [p.name for p in parameters]
    for i, name in enumerate(names):
        if names.index(name) != i:
            raise DataError(
                politics_file, [Problem(f"parameters[{i}].name", name, "each parameter once")]
            )
    traits = [
        validate(Trait, item, politics_file, ("traits", i))
        for i, item in enumerate(
            _records({"traits": politics_raw["traits"]}, "traits", politics_file)
        )
    ]
    for i, trait in enumerate(traits):
        _check_known([(f"traits[{i}].code", trait.code)], known, politics_file)
        allowed_values = TRAIT_VALUES[trait.trait]
        if trait.value not in allowed_values:
            raise DataError(
                politics_file,
                [
                    Problem(
                        f"traits[{i}].value",
                        trait.value,
                        f"allowed for {trait.trait.value}: {', '.join(allowed_values)}",
                    )
                ],
            )

    leaders, leaders_file = _load_list(data_dir, "leaders.yaml", "leaders", Leader)
    _check_leaders(leaders, known, leaders_file)
    dependence, dependence_file = _load_list(data_dir, "dependence.yaml", "dependence", Dependence)
    _check_series(dependence, known, dependence_file, "dependence")
    provider, bilateral = _load_bilateral(data_dir / "bilateral.yaml", known)

    register, register_file = _load_list(data_dir, "sources.yaml", "sources", SourceEntry)
    ids = [entry.id for entry in register]
    for i, entry in enumerate(register):
        if ids.index(entry.id) != i:
            raise DataError(
                register_file, [Problem(f"sources[{i}].id", entry.id, "each source once")]
            )

    chairs, chairs_file = _load_list(data_dir, "chairs.yaml", "chairs", Chair)
    _check_chairs(chairs, chairs_file)
    _check_known(
        ((f"chairs[{i}].state", c.state) for i, c in enumerate(chairs)), known, chairs_file
    )
    rotation = _load_rotation(data_dir / "rotation.yaml", known)
    benefits, benefits_file = _load_list(data_dir, "cooperation.yaml", "benefits", Benefit)
    _check_benefits(benefits, known, benefits_file)

    files = data_files(data_dir)
    return Organization(
        states=tuple(states),
        instruments=tuple(instruments),
        bodies=tuple(bodies),
        secretaries_general=tuple(sgs),
        grants=tuple(grants),
        forces=tuple(forces),
        relations=tuple(relations),
        parameters=tuple(parameters),
        traits=tuple(traits),
        leaders=tuple(leaders),
        dependence=tuple(dependence),
        provider=provider,
        bilateral=tuple(bilateral),
        sources=tuple(register),
        data_hash=data_hash(files, data_dir),
        chairs=tuple(chairs),
        rotation=rotation,
        benefits=tuple(benefits),
    )


__all__ = [
    "DATA_DIR",
    "EventKind",
    "load_organization",
    "load_yaml",
    "validate",
]
