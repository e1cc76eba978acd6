"""Reading YAML safely: the shipped data, users' crisis, question and spec files, and uploads.

    LIMITS                      the documented bounds (bytes, nesting depth, expanded nodes, digits)
    read_text(path, error)      a regular file only, at most LIMITS.max_bytes, UTF-8
    parse_yaml(text, source, error)   YAML with safe types, no implicit timestamps, and bounds
    load_yaml(path, error)      both

A hostile file is refused quickly with one clear message that names the file and says what is
allowed, and never repeats the file's contents:
- a folder, a device such as /dev/zero, a pipe or a socket is refused before anything is read;
- a file larger than the bound is refused from its size;
- anchors and aliases may not expand the document beyond a node budget (an "alias bomb" is caught
  from the event stream, before anything is built);
- nesting deeper than the bound is refused from the event stream, before any recursion;
- a number with more digits than the bound is refused when it is read.
"""

from __future__ import annotations

import errno
import functools
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from csto.domain.errors import DataError, Problem


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 1 << 20  # 1 MiB: the largest shipped file is under 40 KB
    max_depth: int = 40  # nested mappings and lists
    max_nodes: int = 100_000  # nodes after expanding aliases
    max_digits: int = 18  # a whole number's digits; every bounded field fits well inside


LIMITS = Limits()


@functools.cache
def _loader() -> Any:
    """The loader class, built on first use (importing PyYAML is deferred with it): safe types,
    libyaml's C parser where installed, no implicit timestamps (dates stay text until pydantic
    checks them, so an impossible date such as 2020-13-01 gets the same clear error as any other
    bad value), and whole numbers bounded in digits."""
    import yaml

    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class Loader(base):  # type: ignore[misc]
        pass

    Loader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }

    def bounded_int(loader: Any, node: Any) -> int:
        digits = sum(ch.isdigit() for ch in str(node.value))
        if digits > LIMITS.max_digits:
            raise _TooLarge(node.start_mark.line + 1, digits)
        value: int = yaml.SafeLoader.construct_yaml_int(loader, node)
        return value

    Loader.add_constructor("tag:yaml.org,2002:int", bounded_int)
    return Loader


class _TooLarge(ValueError):
    def __init__(self, line: int, digits: int) -> None:
        super().__init__(line, digits)
        self.line = line
        self.digits = digits


def _refuse(
    source: Path | str, where: str, found: str, allowed: str, error: type[DataError]
) -> NoReturn:
    raise error(source, [Problem(where, _Described(found), allowed)])


class _Described(str):
    """A description of what was found, printed as is (not quoted): it is not the file's content."""

    def __repr__(self) -> str:
        return str(self)


def read_text(path: Path, error: type[DataError] = DataError) -> str:
    """The text of a regular file of at most LIMITS.max_bytes, decoded as UTF-8."""
    try:
        # O_NONBLOCK: opening a pipe must not wait for a writer; fstat then tells what it is.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except IsADirectoryError:
        return _refuse(path, "(file)", "a folder", "allowed: a YAML file", error)
    except FileNotFoundError:
        return _refuse(path, "(file)", "no such file", "allowed: an existing YAML file", error)
    except OSError as exc:
        reason = os.strerror(exc.errno) if exc.errno else "cannot be opened"
        return _refuse(path, "(file)", reason.lower(), "allowed: a readable YAML file", error)
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            _refuse(path, "(file)", "a folder", "allowed: a YAML file", error)
        if not stat.S_ISREG(info.st_mode):
            _refuse(
                path, "(file)", "a device, pipe or socket", "allowed: a regular YAML file", error
            )
        if info.st_size > LIMITS.max_bytes:
            found = f"{info.st_size:,} bytes"
            _refuse(path, "(file)", found, f"allowed: at most {LIMITS.max_bytes:,} bytes", error)
        with os.fdopen(fd, "rb", closefd=False) as handle:
            data = handle.read(LIMITS.max_bytes + 1)
    except OSError as exc:
        reason = os.strerror(exc.errno or errno.EIO)
        _refuse(path, "(file)", reason.lower(), "allowed: a readable YAML file", error)
    finally:
        os.close(fd)
    if len(data) > LIMITS.max_bytes:
        return _refuse(
            path,
            "(file)",
            "a file that grew while read",
            f"allowed: at most {LIMITS.max_bytes:,} bytes",
            error,
        )
    return decode(data, path, error)


def decode(data: bytes, source: Path | str, error: type[DataError] = DataError) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return _refuse(
            source, f"byte {exc.start}", "a byte that is not UTF-8", "allowed: UTF-8 text", error
        )


def _check_events(text: str, source: Path | str, error: type[DataError]) -> None:
    """Depth and expanded size from the event stream: nothing is built, nothing recurses."""
    import yaml

    sizes: dict[str, int] = {}
    stack: list[list[Any]] = []  # [anchor, expanded nodes so far]
    total = 0
    for event in yaml.parse(text, Loader=_loader()):
        if isinstance(event, yaml.AliasEvent):
            grown = sizes.get(event.anchor or "", 1)
            total += grown
            if stack:
                stack[-1][1] += grown
        elif isinstance(event, yaml.ScalarEvent):
            total += 1
            if stack:
                stack[-1][1] += 1
            if event.anchor:
                sizes[event.anchor] = 1
        elif isinstance(event, yaml.CollectionStartEvent):
            total += 1
            stack.append([event.anchor, 1])
            if len(stack) > LIMITS.max_depth:
                line = event.start_mark.line + 1 if event.start_mark else 0
                _refuse(
                    source,
                    f"line {line}",
                    f"nesting deeper than {LIMITS.max_depth} levels",
                    f"allowed: at most {LIMITS.max_depth} nested mappings or lists",
                    error,
                )
        elif isinstance(event, yaml.CollectionEndEvent):
            anchor, size = stack.pop()
            if anchor:
                sizes[anchor] = size
            if stack:
                stack[-1][1] += size
        if total > LIMITS.max_nodes:
            _refuse(
                source,
                "",
                f"more than {LIMITS.max_nodes:,} values once anchors and aliases are expanded",
                f"allowed: at most {LIMITS.max_nodes:,} values",
                error,
            )


def parse_yaml(text: str, source: Path | str, error: type[DataError] = DataError) -> Any:
    """Parse one YAML document within the bounds; every failure is one `error` naming `source`."""
    import yaml

    try:
        _check_events(text, source, error)
        return yaml.load(text, Loader=_loader())
    except _TooLarge as exc:
        found = _Described(f"a number with {exc.digits:,} digits")
        allowed = f"allowed: numbers of at most {LIMITS.max_digits} digits"
        raise error(source, [Problem(f"line {exc.line}", found, allowed)]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(document)"
        problem = getattr(exc, "problem", None) or "not YAML"
        raise error(
            source, [Problem(where, _Described(problem), "allowed: well-formed YAML")]
        ) from None
    except (ValueError, OverflowError, RecursionError, TypeError):
        raise error(
            source,
            [Problem("", _Described("a value YAML cannot represent"), "allowed: well-formed YAML")],
        ) from None


def load_yaml(path: Path, error: type[DataError] = DataError) -> Any:
    return parse_yaml(read_text(path, error), path, error)


def describe(value: Any) -> str:
    """What kind of thing a value is, for messages that must not repeat a file's content."""
    if value is None:
        return "nothing (an empty document)"
    names = {
        dict: "a mapping",
        list: "a list",
        str: "a text",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }
    return names.get(type(value), type(value).__name__)


__all__ = ["LIMITS", "Limits", "decode", "describe", "load_yaml", "parse_yaml", "read_text"]
