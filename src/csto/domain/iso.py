"""ISO 3166-1 alpha-3 state codes, read from a snapshot of pycountry's database.

    CODES         every current alpha-3 code (frozenset)
    is_iso3(v)    a code of a current state
    snapshot()    the codes as pycountry has them now (python -m csto.domain.iso rewrites the file)

pycountry is the source. Importing it costs about 90 ms, a third of a whole `csto assess`, so the
commands read the 249 codes from data/iso3166-alpha3.txt, and a test keeps the file equal to
pycountry's list (docs/decisions/0005-one-world.md).
"""

from __future__ import annotations

from pathlib import Path

SNAPSHOT = Path(__file__).resolve().parent.parent / "data" / "iso3166-alpha3.txt"
HEADER = (
    "# ISO 3166-1 alpha-3 codes of current states, one per line: a snapshot of pycountry's database\n"
    "# (regenerate with: python -m csto.domain.iso; tests/test_iso.py checks it against pycountry).\n"
)


def _read() -> frozenset[str]:
    lines = SNAPSHOT.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


CODES = _read()


def is_iso3(value: str) -> bool:
    return value in CODES


def snapshot() -> list[str]:
    import pycountry  # only to regenerate or check the snapshot

    return sorted(c.alpha_3 for c in pycountry.countries)


if __name__ == "__main__":
    SNAPSHOT.write_text(HEADER + "\n".join(snapshot()) + "\n", encoding="utf-8")
