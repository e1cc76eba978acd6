"""Catalogues of shipped files by id: the historical cases (and, alike, the Council's questions).

    Catalogue(folder, parse)   the YAML files of one folder, each named by its id
      .ids()                   every id, sorted
      .path(id)                the file of an id (NotFound naming only the known ids)
      .get(id)                 the parsed file, parsed once per catalogue
      .file_hash(id)           sha256 of the file's bytes, for receipts

An id resolves only inside its catalogue: it is never taken as a path, so `../x` or `/etc/passwd`
is simply not a known id.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from pathlib import Path
from typing import Generic, TypeVar

from csto.domain.errors import NotFound
from csto.domain.yamlfiles import read_text

T = TypeVar("T")
ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class Catalogue(Generic[T]):
    def __init__(self, what: str, folder: Path, parse: Callable[[Path], T]) -> None:
        self.what = what
        self.folder = folder
        self._parse = parse
        self._loaded: dict[str, T] = {}
        self._ids: tuple[str, ...] | None = None

    def ids(self) -> list[str]:
        if self._ids is None:
            found = self.folder.glob("*.yaml") if self.folder.is_dir() else ()
            self._ids = tuple(sorted(p.stem for p in found if ID.match(p.stem)))
        return list(self._ids)

    def __contains__(self, item: object) -> bool:
        return isinstance(item, str) and item in self.ids()

    def path(self, item: str) -> Path:
        if item not in self:
            raise NotFound(self.what, item, tuple(self.ids()))
        return self.folder / f"{item}.yaml"

    def get(self, item: str) -> T:
        if item not in self._loaded:
            self._loaded[item] = self._parse(self.path(item))
        return self._loaded[item]

    def file_hash(self, item: str) -> str:
        return hashlib.sha256(read_text(self.path(item)).encode()).hexdigest()
