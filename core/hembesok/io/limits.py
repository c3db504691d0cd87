"""Every limit on what hembesok reads, in one place (docs/limits.md lists them for users).

A document that goes past a limit is refused with a located problem that names the
limit, before the work it would cause is done.
"""

#: The largest HTTP request body accepted unless configured otherwise: 1 MiB.
MAX_BODY_BYTES = 1024 * 1024

#: The longest record `hembesok batch` reads unless configured otherwise (`--max-line-bytes`):
#: an NDJSON line or a CSV row of 1 MiB, its line ending not counted. A longer one becomes
#: that record's located error, read past in bounded pieces, and the run goes on.
MAX_LINE_BYTES = 1024 * 1024
