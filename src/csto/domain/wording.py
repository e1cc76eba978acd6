"""How csto words what it prints for people: counts, bad dates, text from files, the data's horizon.

counted(n, "scenario")      "1 scenario", "2,000 scenarios" (an irregular plural as a third
                            argument: counted(n, "entry", "entries"))
why_not_a_date(text)        what is wrong with a date as typed: its form, a month that does not
                            exist, or a day the month does not have ("February 2024 has 29 days")
for_terminal(text)          text from a file (a crisis title), with control characters shown as
                            \\x1b-style escapes instead of reaching the terminal
past_horizon(on, horizon)   the warning for a date after the data's last dated fact, or None
"""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date

ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# Characters that move the cursor, recolour, retitle the window or reorder the text on screen.
_BIDI = {"\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069"}


def counted(n: int, singular: str, plural: str | None = None) -> str:
    word = singular if n == 1 else (plural or singular + "s")
    return f"{n:,} {word}"


def why_not_a_date(text: str) -> str:
    """Why `text` is not a date csto accepts (call it once date.fromisoformat has refused it)."""
    found = ISO_DAY.match(text.strip())
    if found is None:
        return f"{text!r} is not a date; write it as YYYY-MM-DD, e.g. 2022-01-05"
    year, month, _ = (int(g) for g in found.groups())
    if not 1 <= month <= 12:
        return f"{text!r}: there is no month {month}; months run from 01 to 12"
    if year < 1:
        return f"{text!r}: there is no year 0; the years start at 0001"
    last = calendar.monthrange(year, month)[1]
    name = calendar.month_name[month]
    return f"{text!r}: the day does not exist ({name} {year} has {last} days)"


def for_terminal(text: str) -> str:
    """Control characters (escape codes, bidi overrides) shown, not obeyed."""
    if text.isprintable():
        return text
    return "".join(
        (f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}")
        if (unicodedata.category(c) == "Cc" or c in _BIDI)
        else c
        for c in text
    )


def past_horizon(on: date, horizon: date) -> str | None:
    if on <= horizon:
        return None
    return (
        f"{on.isoformat()} is after the data's last dated fact ({horizon.isoformat()}): "
        "the answer assumes nothing has changed since"
    )


__all__ = ["counted", "for_terminal", "past_horizon", "why_not_a_date"]
