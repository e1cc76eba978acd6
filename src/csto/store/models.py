"""SQLAlchemy 2 models of stored runs.

    runs        one row per completed run: the crisis, seed, reforms, outcome, milestones, forces
    decisions   the Council's decision of the run: ceiling, blockers, citations, receipt
    events      the ordered event log
    sitreps     the Crisis Response Center's situation reports
    contingents each member's contribution, for queries across runs

A run is written in one transaction with status 'complete'; a run that fails half-way leaves no row.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class RunRow(Base):
    __tablename__ = "runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    crisis_id: Mapped[str] = mapped_column(String(120), index=True)
    crisis_title: Mapped[str] = mapped_column(Text)
    crisis_date: Mapped[date] = mapped_column(Date)
    seed: Mapped[int] = mapped_column(Integer)
    reforms: Mapped[list[Any]] = mapped_column(JSON)
    outcome: Mapped[str] = mapped_column(String(20))
    milestones: Mapped[dict[str, Any]] = mapped_column(JSON)
    forces: Mapped[dict[str, Any]] = mapped_column(JSON)
    inputs_hash: Mapped[str] = mapped_column(String(64), index=True)
    status: Mapped[str] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(DateTime)

    decision: Mapped[DecisionRow] = relationship(back_populates="run", cascade="all, delete-orphan")
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
    blocked_by: Mapped[dict[str, Any]] = mapped_column(JSON)
    citations: Mapped[list[Any]] = mapped_column(JSON)
    receipt: Mapped[dict[str, Any]] = mapped_column(JSON)

    run: Mapped[RunRow] = relationship(back_populates="decision")


class EventRow(Base):
    __tablename__ = "events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    time: Mapped[datetime] = mapped_column(DateTime)
    kind: Mapped[str] = mapped_column(String(40))
    actor: Mapped[str] = mapped_column(Text)
    details: Mapped[dict[str, Any]] = mapped_column(JSON)


class SitrepRow(Base):
    __tablename__ = "sitreps"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    run_id: Mapped[str] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    time: Mapped[datetime] = mapped_column(DateTime)
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
