"""What every loaded definition (a program, an instrument) shares: a hash of its rules.

The canonical JSON of the definition is hashed, so every plan and screening result can
name exactly which rules gave it, whichever engine version made it.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any


def canonical_hash(definition: Mapping[str, Any]) -> str:
    canonical = json.dumps(definition, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
