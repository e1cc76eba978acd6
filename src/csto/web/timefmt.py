"""Times as people in the exercise read them: ISO 8601 with the time zone always shown.

    iso_minute(t)   2022-01-07 12:00 UTC   (another offset: 2022-01-07 18:00 +06:00)
    iso_second(t)   2022-01-07 12:00:05 UTC
    iso_date(d)     2022-01-07
    machine(t)      2022-01-07T12:00:05+00:00, for <time datetime="..."> and data attributes

A time without a zone is refused: the exercise clock is one clock for everyone, and a time that
does not say which zone it is in would be read differently in every room.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta


def _zone(t: datetime) -> str:
    offset = t.utcoffset()
    if offset is None:
        raise ValueError(f"a time needs its time zone, such as {t.isoformat()}+00:00")
    if offset == timedelta(0):
        return "UTC"
    sign = "+" if offset >= timedelta(0) else "-"
    minutes = abs(int(offset.total_seconds())) // 60
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def iso_minute(t: datetime) -> str:
    return f"{t:%Y-%m-%d %H:%M} {_zone(t)}"


def iso_second(t: datetime) -> str:
    return f"{t:%Y-%m-%d %H:%M:%S} {_zone(t)}"


def iso_date(d: date) -> str:
    return d.isoformat() if not isinstance(d, datetime) else d.date().isoformat()


def machine(t: datetime) -> str:
    _zone(t)
    return t.isoformat(timespec="seconds")
