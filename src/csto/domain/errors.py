"""The one exception tree of csto.

    CstoError                 base of every error csto raises on purpose
    ├── DataError             a data or input file is wrong: file, key path, value, what is allowed
    │   ├── CrisisFileError   a crisis file (format 1) is wrong           (domain/crisis.py)
    │   ├── QuestionFileError a question file (format 1) is wrong         (domain/question.py)
    │   ├── SpecError         an uncertainty spec is wrong                (analysis/spec.py)
    │   └── ScenarioError     an exercise scenario is wrong               (exercise/scenario.py)
    ├── DateOutOfRange        a date before the Collective Security Treaty existed
    ├── NotFound              an article, instrument, case, reform, run or exercise that does not exist
    ├── AccessDenied          no valid seat: an unknown, used or revoked token or session (HTTP 401)
    ├── Forbidden             a seat acting beyond its rights: as another state, a player as director (403)
    ├── Conflict              a command the exercise's state refuses: a closed motion, a vote twice (409)
    ├── UsageError            an option that cannot work: a path, an executor, a file format
    │   ├── StoreError        the run store cannot be opened or used     (store/session.py)
    │   ├── ExecutorError     sweep batches cannot be sent where asked   (analysis/executors.py)
    │   └── PlotError         a chart cannot be written in that format   (plots/page.py)

Errors carry their fields and build their message from them, so a caller can print the message
or read the fields. Misuse of the Python API (wrong argument types) raises built-in errors.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any


class CstoError(Exception):
    """Base of every error csto raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a file: where it is, what was found, what is allowed."""

    path: str
    value: Any
    allowed: str

    def render(self) -> str:
        where = self.path or "(top level)"
        return f"{where}: got {shorten(self.value)}; {self.allowed}"

    def as_dict(self) -> dict[str, Any]:
        return {"path": self.path, "value": shorten(self.value), "allowed": self.allowed}


class _Missing:
    """The value of a field that was not given at all, as an error message shows it."""

    def __repr__(self) -> str:
        return "nothing (the field is missing)"


MISSING: Any = _Missing()


def shorten(value: Any, limit: int = 80) -> str:
    """A value as an error message shows it: its repr, cut to `limit` characters."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


@dataclass
class DataError(CstoError):
    """A data or input file is wrong. Names the file, the key path, the value and what is allowed."""

    file: Path | str
    problems: list[Problem] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        lines = [f"{self.file}: {p.render()}" for p in self.problems]
        return "\n".join(lines) if lines else f"{self.file}: invalid"


class CrisisFileError(DataError):
    """A crisis file (format 1) is wrong."""


class QuestionFileError(DataError):
    """A question file (format 1) is wrong."""


class ScenarioError(DataError):
    """An exercise scenario (or its master events list) is wrong."""


@dataclass
class _FieldRefusal(CstoError):
    """A refusal that names the request field at fault and why."""

    field: str
    reason: str

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


class AccessDenied(_FieldRefusal):
    """No valid seat behind a request: names the field (a token, a session cookie) and what to do."""


@dataclass
class Forbidden(CstoError):
    """A seat asked for what its seat does not allow."""

    seat: str
    action: str
    reason: str

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"seat {self.seat} may not {self.action}: {self.reason}"


class Conflict(_FieldRefusal):
    """A well-formed command that the exercise's present state refuses, with why."""


class UsageError(CstoError):
    """An option that cannot work, with the reason: one message, no traceback."""

    def __init__(self, message: str) -> None:
        super().__init__(message)


def check_output_path(path: Path, suffixes: tuple[str, ...], what: str) -> Path:
    """An output file the user named: a known format, in a folder that exists. Checked before work starts."""
    if path.suffix.lower() not in suffixes:
        raise UsageError(
            f"{path}: allowed {what} formats are {', '.join(suffixes)} (got {path.suffix or 'none'!r})"
        )
    if not path.parent.is_dir():
        raise UsageError(f"{path}: the folder {path.parent} does not exist")
    return path


@dataclass
class DateOutOfRange(CstoError):
    """A date before the treaty was signed: there is no organization to describe."""

    requested: date
    earliest: date

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        return (
            f"{self.requested.isoformat()} is before {self.earliest.isoformat()}: the Collective "
            "Security Treaty did not exist yet (it was signed in Tashkent on "
            f"{self.earliest.isoformat()}). Give a date on or after it."
        )


@dataclass
class NotFound(CstoError):
    """Something asked for by name does not exist."""

    what: str
    name: str
    known: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        tail = f"; known: {', '.join(self.known)}" if self.known else ""
        return f"no {self.what} {self.name!r}{tail}"


# --- the typed form of an error, for --json and the API ---------------------------------------
from csto.domain.contract import Contract  # noqa: E402 -- after the tree it describes


class ProblemReport(Contract):
    path: str
    value: str
    allowed: str


class ErrorReport(Contract):
    error: str  # the kind: data_error, crisis_file_error, not_found, usage_error, ...
    message: str
    file: str | None = None
    problems: tuple[ProblemReport, ...] = ()


def _kind(exc: BaseException) -> str:
    name = type(exc).__name__
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


def error_report(exc: CstoError) -> ErrorReport:
    if isinstance(exc, DataError):
        return ErrorReport(
            error=_kind(exc),
            message=str(exc),
            file=str(exc.file),
            problems=tuple(
                ProblemReport(
                    path=p.path or "(top level)",
                    value=shorten(p.value),
                    allowed=p.allowed.removeprefix("allowed: "),
                )
                for p in exc.problems
            ),
        )
    return ErrorReport(error=_kind(exc), message=str(exc))
