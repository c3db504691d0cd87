"""The leaks and internal errors these tests found, each with where the value escapes (paths
under core/hembesok/). A case marked with one fails until it is fixed (strict xfail), and
must then lose its mark."""

DUPLICATE_JSON_KEY = "a key given twice in JSON is quoted (io/documents.py:332, _unique)"
KEY_IN_PATH = (
    "a key that is not a field name is repeated in the JSON path of a problem about its "
    "value (io/problems.py:155, _to_problem: only a reported key itself is left out)"
)
DEEP_PATH = (
    "the path of too-deep nesting repeats every key on the way (io/problems.py:102, validate)"
)
UNKNOWN_ITEM = (
    "an answer's key that is no item is quoted in the message and the path "
    "(io/loading.py:239-240, answer_problems; it runs even after the schema refused the key)"
)
DUPLICATE_YAML_KEY = (
    "a key given twice in YAML is repeated in the problem's path (io/problems.py:91, validate)"
)
YAML_TAG = "a YAML tag is quoted (io/documents.py:206-210, _check_tag)"
PURE_YAML = (
    "with PyYAML's pure-Python loader (no libyaml) the scanner's message quotes an alias or "
    "a tag handle (io/documents.py:309-310, yaml_advice returns exc.problem)"
)
CSV_HEADER_CELL = (
    "a CSV header cell facts.<identity number> looks like a column name and is quoted "
    "(io/csv_cases.py:117, _NAME_LIKE at :58 accepts any run of digits after a letter)"
)
UNKNOWN_INSTRUMENT = (
    "a case's unknown instrument id is quoted when the response's occasion is checked "
    "(engine/references.py:104)"
)
UNHASHABLE_ANSWER = (
    "an answer that is a list or an object, to an item that has options, raises TypeError "
    "(unhashable) at model/instrument.py:33 (`answer in self.scores`, called from "
    "io/loading.py:244, which runs even after the schema refused the answer): exit 4, HTTP 500"
)
QUERY_PROGRAM = (
    "an unknown program id from the query string is echoed in the 400 answer, though the "
    "service keeps the query string out of its log because it may hold case data "
    "(api.py:81 UnknownProgram, passed on by service/routes.py:122 and :138)"
)
