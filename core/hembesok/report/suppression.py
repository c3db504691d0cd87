"""Which counts of a report are not shown, so that no child can be singled out.

Primary: every count from 1 to `min_count - 1` is suppressed. A zero singles out no one
and is shown (unless the secondary rule below needs it).

Secondary: a count shown next to a total it adds up to with others could give a suppressed
one back by subtraction. Each such sum is a group (its total, if the report shows one, and
its parts). While some group has exactly one suppressed member, the smallest shown part of
that group (ties: the first) is suppressed too, or its total when no part is left; this is
repeated until every group has none or at least two. A group whose total the report does
not show (`total=None`) is treated as if the total were known. docs/report.md#suppression.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import NamedTuple

Key = Hashable


class Group(NamedTuple):
    """Counts that add up: `total` (None: known to a reader some other way) = sum of parts."""

    total: Key | None
    parts: tuple[Key, ...]


def suppress(counts: Mapping[Key, int], groups: Sequence[Group], min_count: int) -> frozenset[Key]:
    """The keys of the counts not to show; `min_count` 1 shows every count."""
    hidden = {key for key, value in counts.items() if 0 < value < min_count}
    changed = bool(hidden)
    while changed:
        changed = False
        for group in groups:
            members = (*group.parts, *(() if group.total is None else (group.total,)))
            if sum(1 for key in members if key in hidden) != 1:
                continue
            shown = [key for key in group.parts if key not in hidden]
            if not shown and group.total is not None:
                shown = [group.total]
            if shown:
                hidden.add(min(shown, key=lambda key: counts[key]))
                changed = True
    return frozenset(hidden)
