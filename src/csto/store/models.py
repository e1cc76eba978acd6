"""SQLAlchemy 2 models of stored runs.

    runs        one row per run: the crisis facts it ran on, seed, reforms, status, outcome,
                milestones, forces; `status` goes running -> complete | failed
    decisions   the Council's decision: ceiling, floor and legal steps, blockers, procedure,
                citations, receipt
    positions   each member's position in the run's decision, one row per member, for queries
                across runs ("every run where RUS blocked a deployment")
    events      the ordered event log
    sitreps     the Crisis Response Center's situation reports
    contingents each member's contribution

Times are stored as naive UTC and read back as UTC (UTCDateTime), to the second.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Dialect, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime, kept as a naive one so SQLite and PostgreSQL store it alike."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return value.replace(tzinfo=UTC) if value is not None else None


SEED_MAX = 2**31 - 1  # runs.seed is an INTEGER: 32 bits in PostgreSQL


class Base(DeclarativeBase):
    pass


class RunRow(Base):
    __tablename__ = "runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    crisis_id: Mapped[str] = mapped_column(String(120), index=True)
    crisis_title: Mapped[str] = mapped_column(Text)
    crisis_date: Mapped[date] = mapped_column(Date)
    crisis: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    seed: Mapped[int] = mapped_column(Integer)
    reforms: Mapped[list[Any]] = mapped_column(JSON)
    outcome: Mapped[str] = mapped_column(String(20))
    milestones: Mapped[dict[str, Any]] = mapped_column(JSON)
    forces: Mapped[dict[str, Any]] = mapped_column(JSON)
    inputs_hash: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(12), index=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    decision: Mapped[DecisionRow | None] = relationship(
        back_populates="run", cascade="all, delete-orphan"
    )
    positions: Mapped[list[PositionRow]] = relationship(
        order_by="PositionRow.code", cascade="all, delete-orphan"
    )
    events: Mapped[list[EventRow]] = relationship(
        order_by="EventRow.seq", cascade="all, delete-orphan"
    )
    sitreps: Mapped[list[SitrepRow]] = relationship(
        order_by="SitrepRow.seq", cascade="all, delete-orphan"
    )
    contingents: Mapped[list[ContingentRow]] = relationship(
        order_by="ContingentRow.code", cascade="all, delete-orphan"
    )


class DecisionRow(Base):
    __tablename__ = "decisions"

    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    outcome: Mapped[str] = mapped_column(String(20))
    legal_ceiling: Mapped[str] = mapped_column(String(20))
    asked: Mapped[str | None] = mapped_column(String(20), nullable=True)
    legal: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    procedure: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    extra: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    blocked_by: Mapped[dict[str, Any]] = mapped_column(JSON)
    citations: Mapped[list[Any]] = mapped_column(JSON)
    receipt: Mapped[dict[str, Any]] = mapped_column(JSON)

    run: Mapped[RunRow] = relationship(back_populates="decision")


class PositionRow(Base):
    __tablename__ = "positions"

    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    ceiling: Mapped[str] = mapped_column(String(20))
    stance: Mapped[str] = mapped_column(String(12), index=True)
    reasons: Mapped[list[Any]] = mapped_column(JSON)


class EventRow(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    time: Mapped[datetime] = mapped_column(UTCDateTime)
    kind: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)


class SitrepRow(Base):
    __tablename__ = "sitreps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    time: Mapped[datetime] = mapped_column(UTCDateTime)
    author: Mapped[str] = mapped_column(Text)
    hub: Mapped[str] = mapped_column(Text)
    phase: Mapped[str] = mapped_column(String(20))
    personnel: Mapped[int] = mapped_column(Integer)
    sites: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)


class ContingentRow(Base):
    __tablename__ = "contingents"

    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    code: Mapped[str] = mapped_column(String(3), primary_key=True)
    personnel: Mapped[int] = mapped_column(Integer)
    vehicles: Mapped[int] = mapped_column(Integer)
