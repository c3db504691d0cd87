"""Compact JSON bytes for the machine outputs (batch lines, HTTP answers), quickly if possible.

A plan is some 15 kB of JSON. The standard library writes it in about 0.2 ms; `orjson`,
when installed with the optional extra `fast`, in a tenth of that. Both write the same
compact UTF-8 text (no spaces, non-ASCII characters as themselves), so the output does
not depend on which one ran (docs/decisions/0015-fast-validation.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any


def _standard(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _choose() -> Callable[[Any], bytes]:
    try:
        import orjson
    except ImportError:
        return _standard
    dumps: Callable[[Any], bytes] = orjson.dumps
    return dumps


#: JSON data as compact UTF-8 bytes.
dumps: Callable[[Any], bytes] = _choose()
standard_dumps = _standard
