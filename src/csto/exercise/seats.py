"""Seats of an exercise, their kinds and rights, and the join tokens that open them.

    SECRETARIAT, DIRECTOR, observer_id(n)   the seat ids besides the member states' ISO codes
    SeatKind                 member, secretariat, director, observer
    seat_ids(members, n)     every seat of an exercise: members on the crisis date, SEC, DIRECTOR,
                             OBS1..OBSn
    kind_of(seat)            the kind of a seat id
    PLAYING                  the kinds that play (members and the Secretariat): what the director
                             may never hold
    new_token(), digest(t)   a random join or session token, and the sha256 it is stored as

A join token is shown once, in the director's list of links; only its digest is kept. It is
exchanged once for a session, which a browser keeps in an httpOnly cookie.
"""

from __future__ import annotations

import hashlib
import secrets
from enum import StrEnum

SECRETARIAT = "SEC"
DIRECTOR = "DIRECTOR"
OBSERVER_PREFIX = "OBS"


class SeatKind(StrEnum):
    MEMBER = "member"
    SECRETARIAT = "secretariat"
    DIRECTOR = "director"
    OBSERVER = "observer"


PLAYING = (SeatKind.MEMBER, SeatKind.SECRETARIAT)


def observer_id(n: int) -> str:
    return f"{OBSERVER_PREFIX}{n}"


def seat_ids(members: tuple[str, ...], observers: int) -> tuple[str, ...]:
    return (
        *members,
        SECRETARIAT,
        DIRECTOR,
        *(observer_id(n) for n in range(1, observers + 1)),
    )


def kind_of(seat: str) -> SeatKind:
    if seat == SECRETARIAT:
        return SeatKind.SECRETARIAT
    if seat == DIRECTOR:
        return SeatKind.DIRECTOR
    if seat.startswith(OBSERVER_PREFIX):
        return SeatKind.OBSERVER
    return SeatKind.MEMBER


def new_token() -> str:
    return secrets.token_urlsafe(24)


def digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
