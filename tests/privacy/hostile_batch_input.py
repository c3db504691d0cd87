"""Hostile input of `hembesok batch` besides the cases of hostile_cases.py (each of which
is also sent as an NDJSON line): lines hembesok cannot read, and CSV rows and headers
with bad cells, too many cells, too long, or not a header at all."""

from .known_leaks import CSV_HEADER_CELL
from .markers import ANSWER, NAME, PNR, TEXT, one_line, planted

#: (id, line as bytes, expected fragment, extra options)
NDJSON_LINES = [
    ("not JSON", f"{PNR} {NAME} {TEXT} {ANSWER}".encode(), "JSON syntax error", ()),
    (
        "a line over --max-line-bytes",
        one_line(planted(facts={"note": TEXT * 40})).encode(),
        "longer than the limit of 1000 bytes",
        ("--max-line-bytes", "1000"),
    ),
    ("not UTF-8", f'{{"area": "{TEXT}'.encode() + b'\xff"}', "not UTF-8", ()),
    (
        "a second byte-order mark",
        "\ufeff\ufeff".encode() + one_line(planted()).encode(),
        "JSON syntax error",
        (),
    ),
    (
        "a control character in a string",
        f'{{"area": "{TEXT}\x01{PNR}"}}'.encode(),
        "JSON syntax error",
        (),
    ),
    ("a JSON string", one_line(PNR).encode(), "must be an object", ()),
]

# --- CSV files of `hembesok batch` --------------------------------------------------------

CSV_COLUMNS = [
    "case_ref",
    "child.birth_date",
    "child.identifier.system",
    "child.identifier.value",
    "listed_bvc",
    "area",
    "facts.note",
    "first_child.either_parent",
    "child.gestational_age_weeks",
    "visits_done",
    "declined",
    "facts.n:number",
    "facts.b:boolean",
    "moved_in_on",
]
CSV_HEADER = ",".join(CSV_COLUMNS) + "\n"
#: A row that is planned and holds no marker its plan could show.
CSV_GOOD = f"journal-1,2026-03-10,{NAME},{PNR},,,,true,,,,,,\n"


def csv_row(**cells):
    """A row with markers in every text cell, `cells` (by column, `.` and `:` as `_`) on top."""
    row = {c: "" for c in CSV_COLUMNS}
    row.update(
        {
            "case_ref": "journal-2",
            "child.birth_date": "2026-03-10",
            "child.identifier.system": NAME,
            "child.identifier.value": PNR,
            "listed_bvc": TEXT,
            "area": TEXT,
            "facts.note": TEXT,
            "first_child.either_parent": "true",
        }
    )
    for name, value in cells.items():
        column = next(c for c in CSV_COLUMNS if c.replace(".", "_").replace(":", "_") == name)
        row[column] = value
    return ",".join(row.values()) + "\n"


#: (id, file as bytes, expected fragment, extra options, leak)
CSV_FILES = [
    ("birth date an identity number", csv_row(child_birth_date=PNR), "must be a date", (), None),
    ("birth date empty", csv_row(child_birth_date=""), "must not be empty", (), None),
    (
        "yes or no a name",
        csv_row(first_child_either_parent=NAME),
        "must be true or false",
        (),
        None,
    ),
    (
        "whole number with text",
        csv_row(child_gestational_age_weeks=f"{PNR} {TEXT}"),
        "whole number",
        (),
        None,
    ),
    (
        "whole number an identity number",
        csv_row(child_gestational_age_weeks=PNR),
        "at most 45",
        (),
        None,
    ),
    ("number free text", csv_row(facts_n_number=TEXT), "must be a number", (), None),
    ("boolean fact a name", csv_row(facts_b_boolean=NAME), "must be true or false", (), None),
    ("visits a name", csv_row(visits_done=f"vaggeryd:{NAME}"), "must list visits", (), None),
    (
        "visit of an unknown program",
        csv_row(visits_done=f"p{PNR}:newborn:2026-04-01"),
        "names no installed program",
        (),
        None,
    ),
    (
        "unknown visit",
        csv_row(visits_done=f"vaggeryd:v{PNR}:2026-04-01"),
        "has no such visit",
        (),
        None,
    ),
    (
        "visit date an identity number",
        csv_row(visits_done=f"vaggeryd:newborn:{PNR}"),
        "must be a date",
        (),
        None,
    ),
    (
        "unknown program declined",
        csv_row(declined=f"vaggeryd;p{PNR}"),
        "names no installed program",
        (),
        None,
    ),
    ("name declined", csv_row(declined=NAME), "lower-case letters", (), None),
    ("free text too long", csv_row(area=TEXT * 9), "at most 200 characters", (), None),
    ("free text as a date", csv_row(moved_in_on=TEXT), "must be a date", (), None),
    (
        "more cells than columns",
        csv_row().rstrip("\n") + f",{PNR},{NAME},{TEXT}\n",
        "more cells",
        (),
        None,
    ),
    ("not UTF-8", csv_row(area=TEXT + "\udcff"), "not UTF-8", (), None),
    (
        "a cell over the csv module's limit",
        csv_row(area='"' + TEXT * 6000 + '"'),
        "field larger than field limit",
        ("--max-line-bytes", "1000000"),
        None,
    ),
    (
        "a row over --max-line-bytes",
        csv_row(area=TEXT * 20),
        "longer than the limit",
        ("--max-line-bytes", "300"),
        None,
    ),
    (
        "a quoted cell over lines past --max-line-bytes",
        csv_row(area=f'"{TEXT}\n{TEXT * 20}\n{NAME}"'),
        "longer than the limit",
        ("--max-line-bytes", "300"),
        None,
    ),
]
#: Files whose header is at fault: (id, header line, expected fragment, extra options, leak).
CSV_HEADERS = [
    ("no header: the first row a record", csv_row(), "names no known column", (), None),
    ("header cell a name", CSV_HEADER.replace("area", NAME), "unknown column (not shown", (), None),
    (
        "header cell an identity number",
        CSV_HEADER.replace("area", PNR),
        "unknown column (not shown",
        (),
        None,
    ),
    (
        "header cell free text",
        CSV_HEADER.replace("area", TEXT),
        "unknown column (not shown",
        (),
        None,
    ),
    (
        "header cell a name given twice",
        CSV_HEADER.replace("area", NAME).replace("facts.note", NAME),
        "named twice",
        (),
        None,
    ),
    (
        "header cell a fact named after an identity number",
        CSV_HEADER.replace("facts.note", f"facts.{PNR}"),
        "unknown column",
        (),
        CSV_HEADER_CELL,
    ),
    (
        "semicolon header with a name",
        CSV_HEADER.replace(",", ";").replace("area", NAME),
        "unknown column (not shown",
        (),
        None,
    ),
    (
        "header over --max-line-bytes",
        CSV_HEADER.replace("area", TEXT * 10),
        "header row is longer",
        ("--max-line-bytes", "200"),
        None,
    ),
]
