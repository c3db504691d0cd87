"""Every limit on what hembesok reads, in one place (docs/limits.md lists them for users).

A document that goes past a limit is refused with a located problem that names the
limit, before the work it would cause is done. The limits are far above what any real
case or program file needs, and low enough that no input can make hembesok work or hold
memory out of proportion to its size.
"""

#: The largest document read from a file or standard input (a case, a program file, an
#: instrument, a response list): 10 MiB.
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
#: The largest HTTP request body accepted unless configured otherwise: 1 MiB.
MAX_BODY_BYTES = 1024 * 1024
#: The longest record `hembesok batch` reads unless configured otherwise (`--max-line-bytes`):
#: an NDJSON line or a CSV row of 1 MiB, its line ending not counted. A longer one becomes
#: that record's located error, read past in bounded pieces, and the run goes on.
MAX_LINE_BYTES = 1024 * 1024

#: How deep lists and mappings may nest in any JSON or YAML document.
MAX_DEPTH = 64
#: How many values a YAML document may hold once its aliases are expanded, and how many
#: aliases it may use: a program file needs a few thousand values and no alias at all.
MAX_YAML_VALUES = 200_000
MAX_YAML_ALIASES = 1_000
#: The most digits an integer may have, and the longest string, in any document.
MAX_NUMBER_DIGITS = 20
MAX_STRING_CHARS = 100_000
#: Dates are read in these years only (io/dates.py), so no age or window reckoned from
#: one can fall off the calendar.
FIRST_YEAR, LAST_YEAR = 1900, 2199

# The HTTP service's limits (`hembesok serve`; docs/api.md lists them with their options).

#: The longest a client may take to send a request's head (request line and headers),
#: counted from the connection being opened or the previous answer being sent: 10 s.
HEADER_TIMEOUT_SECONDS = 10.0

#: The longest a client may take to send a request body once its head is in: 10 s.
BODY_TIMEOUT_SECONDS = 10.0

#: The largest request head (request line and headers) the service reads: 16 KiB.
MAX_HEADER_BYTES = 16 * 1024

#: How long an idle connection is kept open between requests: 5 s.
KEEP_ALIVE_SECONDS = 5

#: The seconds a client is asked to wait (Retry-After) when the service is busy.
RETRY_AFTER_SECONDS = 1


def default_max_concurrent() -> int:
    """Requests with a body handled at once unless configured: twice the CPUs this process may use."""
    import os

    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        cpus = os.cpu_count() or 1
    return 2 * max(cpus, 1)
