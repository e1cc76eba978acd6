"""The base of every typed output: what the CLI prints with --json, the store keeps and the API
answers. One model per answer, frozen, closed to unknown keys, with a published JSON Schema
(docs/schemas/, written by `csto schema --write`).

    Contract        the base model
    Contract.dump() the JSON-ready dict (dates as ISO text, ladder values by name)
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict


class Contract(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    def dump(self) -> dict[str, Any]:
        return self.model_dump(mode="json")
