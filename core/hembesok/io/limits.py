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
