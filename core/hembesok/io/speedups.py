"""Which of the optional compiled speed-ups this installation has (they change no output).

orjson reads and writes JSON, jsonschema-rs says yes or no to a document quickly; both
are installed with hembesok where they have wheels. Without them hembesok gives the same
answers more slowly, and `hembesok plugins` says which one is missing.
"""

from __future__ import annotations

from importlib import metadata

#: Distribution -> what it speeds up.
SPEEDUPS = {
    "orjson": "reading and writing JSON",
    "jsonschema-rs": "checking documents against the schemas",
}


def speedups() -> dict[str, str | None]:
    """Each speed-up's installed version, or None when it is missing."""
    found: dict[str, str | None] = {}
    for name in SPEEDUPS:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found
