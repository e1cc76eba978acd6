"""Plain-data views of the organization on a date, for JSON output and for notebooks.

organization_on(org, d)   {"date", "members", "former", "bodies", "secretary_general",
                           "forces", "instruments", "statuses"}
article_on(org, id, n, d) one article's version in force on d, with its source
"""

from __future__ import annotations

from datetime import date
from typing import Any

from csto.domain.organization import Organization


def organization_on(org: Organization, on: date) -> dict[str, Any]:
    org.check_date(on)
    sg = org.secretary_general(on)

    def state_row(code: str, name: str) -> dict[str, Any]:
        event = org.last_status_event(code, on)
        return {
            "code": code,
            "name": name,
            "status": org.status(code, on).value,
            "since": event.date.isoformat() if event else None,
            "source": event.source if event else None,
        }

    return {
        "date": on.isoformat(),
        "members": [state_row(s.code, s.name) for s in org.members(on)],
        "former": [state_row(s.code, s.name) for s in org.former(on)],
        "bodies": [
            {
                "id": b.body.id,
                "name": b.body.name,
                "who_sits": b.composition.value,
                "role": b.body.role,
                "decides_by": b.decides_by.value.value,
                "source": b.body.source,
            }
            for b in org.bodies_on(on)
        ],
        "secretary_general": None
        if sg is None
        else {
            "name": sg.name,
            "state": sg.state,
            "acting": sg.acting,
            "start": sg.start.isoformat(),
            "end": sg.end.isoformat() if sg.end else None,
            "source": sg.source,
        },
        "forces": [
            {
                "id": f.force.id,
                "name": f.force.name,
                "role": f.force.role,
                "members": list(f.members),
                "personnel": f.figure.personnel if f.figure else None,
                "figure_as_of": f.figure.as_of.isoformat() if f.figure else None,
                "figure_kind": f.figure.kind if f.figure else None,
                "source": f.figure.source if f.figure else f.force.source,
            }
            for f in org.forces_on(on)
        ],
        "instruments": [
            {
                "id": inst.id,
                "title": inst.title,
                "signed": inst.signed.isoformat(),
                "in_force": inst.in_force.isoformat() if inst.in_force else None,
                "status": "in_force" if live else "signed",
                "source": inst.source,
            }
            for inst, live in org.instruments_on(on)
        ],
        "statuses": [
            {"holder": g.holder, "status": g.status, "at": g.at, "since": g.start.isoformat()}
            for g in org.grants_on(on)
        ],
    }


def article_on(org: Organization, instrument_id: str, number: str, on: date) -> dict[str, Any]:
    found = org.article(instrument_id, number, on)
    v = found.version
    return {
        "date": on.isoformat(),
        "instrument": found.instrument.id,
        "instrument_title": found.instrument.title,
        "article": found.article.number,
        "heading": found.article.heading,
        "version": v.label,
        "valid_from": v.valid_from.isoformat(),
        "adopted": v.adopted.isoformat(),
        "in_force": found.in_force,
        "text": v.text,
        "uncertain": v.uncertain,
        "marker": v.marker,
        "source": v.source,
        "note": v.note,
        "params": dict(v.params),
        "versions": [
            {"version": x.label, "valid_from": x.valid_from.isoformat()}
            for x in found.article.versions
        ],
    }
