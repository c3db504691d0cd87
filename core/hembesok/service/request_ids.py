"""The request id: the caller's `X-Request-ID` when it is a plain token, else a new one.

A journal system or gateway that sends an id finds it again in the answer's header, in a
problem document and in the access log line, so one request can be followed across
systems. A header is the caller's bytes: only a token of at most 128 characters from a
small safe set is taken (what UUIDs, hex, base64 and the usual trace ids are written
with), so no header can put arbitrary text, a line break or case data into a log line;
anything else is replaced by a new UUID4, not cut or cleaned.
"""

from __future__ import annotations

import re
import uuid

#: The header, as ASGI gives header names (lower case).
HEADER = b"x-request-id"
MAX_LENGTH = 128
_TOKEN = re.compile(rb"[A-Za-z0-9._:+/=@-]{1,%d}" % MAX_LENGTH)


def request_id(sent: bytes | None) -> str:
    """The id to use for a request that sent `sent` as its X-Request-ID (None: not sent)."""
    if sent is not None and _TOKEN.fullmatch(sent):
        return sent.decode("ascii")
    return str(uuid.uuid4())
