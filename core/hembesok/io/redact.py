"""What of a document's own text a message may repeat: field names, never values.

A journal may put a value where a key belongs (`{"191212121212": 1}`), name a fact after
a person, or send an identity number as an item id. A key is repeated in a problem's
message or path only when it looks like a field name: letters, digits, `_`, `.` and `-`,
starting with a letter, with no run of four digits.
"""

from __future__ import annotations

import re
from typing import Any

_FIELD_NAME = re.compile(r"[$A-Za-z_](?:[A-Za-z_.-]|[0-9](?![0-9]{3})){0,63}")
#: How a key that is not shown stands in a path or message.
NOT_SHOWN = "…"


def shown_key(name: Any) -> bool:
    """Whether a key may be repeated in a message: a field name (`epds_1`), not a run of
    digits or words that may be an identity number or a name."""
    return isinstance(name, str) and _FIELD_NAME.fullmatch(name) is not None


def quoted(name: Any) -> str:
    """`'name'` for a field name, else a mark that says it is not shown."""
    return f"'{name}'" if shown_key(name) else "(a key not shown)"
