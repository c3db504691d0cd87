"""Which BVCs a report is limited to (`--bvc`): names as a person types them, matched to the
names the tables hold.

The tables hold a BVC as its program's site list names it (`Rinkeby BVC`), or as the case
gave it; a coordinator types `rinkeby  bvc`. Names match without regard to case, Unicode
composition or runs of spaces, the way a program matches a site (language.conditions).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from hembesok.language.conditions import normalise_text


class UnknownBvc(ValueError):
    """A BVC named that the tables do not hold; the message lists the ones they do."""


#: The longest list of known BVCs an error message gives.
LISTED = 30


def bvc_key(name: str) -> str:
    """The form two names of one BVC share: casefolded, one space between words."""
    return " ".join(normalise_text(name).split())


def match_bvcs(asked: Iterable[str], known: Sequence[str]) -> tuple[str, ...]:
    """The tables' names of the BVCs asked for (each may match several spellings), or
    UnknownBvc naming the first one asked for that matches none."""
    by_key: dict[str, list[str]] = {}
    for name in known:
        by_key.setdefault(bvc_key(name), []).append(name)
    found: list[str] = []
    for name in asked:
        names = by_key.get(bvc_key(name))
        if not names:
            listed = ", ".join(known[:LISTED]) + (", …" if len(known) > LISTED else "")
            raise UnknownBvc(
                f"no BVC named {name!r} in the tables; they name: {listed or '(none)'}"
            )
        found.extend(n for n in names if n not in found)
    return tuple(found)
