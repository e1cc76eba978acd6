"""SQLAlchemy 2 models of exercises (csto serve). Migration 0003 creates them.

exercises           one row per exercise: its scenario (resolved), status, last log position
exercise_events     the event log, the source of truth: one row per event, (exercise, seq)
                    unique, with the state's hash after it
exercise_commands   idempotency: (exercise, seat, key) -> the command's digest and answer
exercise_seats      each seat, its join token's digest (never the token), when it was used
                    or revoked
exercise_sessions   a browser's session for one seat: the digests of its cookie and its
                    CSRF token
exercise_injects    the master events list as rows: pending until the loop releases them
exercise_drafts     what a seat is typing (statements, reports), saved as it types
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from csto.store.models import Base, UTCDateTime

EXERCISE_FK = "exercises.id"


class ExerciseRow(Base):
    __tablename__ = "exercises"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(Text)
    scenario_id: Mapped[str] = mapped_column(String(80))
    scenario: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12), index=True)
    last_seq: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)


class ExerciseEventRow(Base):
    __tablename__ = "exercise_events"

    exercise_id: Mapped[str] = mapped_column(
        ForeignKey(EXERCISE_FK, ondelete="CASCADE"), primary_key=True
    )
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    wall: Mapped[datetime] = mapped_column(UTCDateTime)
    actor: Mapped[str] = mapped_column(String(20))
    engine: Mapped[bool] = mapped_column(Boolean)
    audience: Mapped[list[str] | None] = mapped_column(JSON, nullable=True)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    state_hash: Mapped[str] = mapped_column(String(64))


class ExerciseCommandRow(Base):
    __tablename__ = "exercise_commands"

    exercise_id: Mapped[str] = mapped_column(
        ForeignKey(EXERCISE_FK, ondelete="CASCADE"), primary_key=True
    )
    seat: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    digest: Mapped[str] = mapped_column(String(64))
    answer: Mapped[dict[str, Any]] = mapped_column(JSON)
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class ExerciseSeatRow(Base):
    __tablename__ = "exercise_seats"

    exercise_id: Mapped[str] = mapped_column(
        ForeignKey(EXERCISE_FK, ondelete="CASCADE"), primary_key=True
    )
    seat: Mapped[str] = mapped_column(String(20), primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ExerciseSessionRow(Base):
    __tablename__ = "exercise_sessions"

    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    exercise_id: Mapped[str] = mapped_column(
        ForeignKey(EXERCISE_FK, ondelete="CASCADE"), index=True
    )
    seat: Mapped[str] = mapped_column(String(20))
    csrf_hash: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)


class ExerciseInjectRow(Base):
    __tablename__ = "exercise_injects"
    __table_args__ = (Index("ix_exercise_injects_pending", "exercise_id", "status"),)

    exercise_id: Mapped[str] = mapped_column(
        ForeignKey(EXERCISE_FK, ondelete="CASCADE"), primary_key=True
    )
    inject_id: Mapped[str] = mapped_column(String(60), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    due: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    spec: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(12))
    released_seq: Mapped[int | None] = mapped_column(Integer, nullable=True)


class ExerciseDraftRow(Base):
    __tablename__ = "exercise_drafts"

    exercise_id: Mapped[str] = mapped_column(
        ForeignKey(EXERCISE_FK, ondelete="CASCADE"), primary_key=True
    )
    seat: Mapped[str] = mapped_column(String(20), primary_key=True)
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
