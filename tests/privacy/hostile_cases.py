"""Hostile cases, as one line of JSON and as YAML, with the markers planted in them: values
put where a key belongs, wrong values, bad dates, references to what is not installed,
and JSON or YAML that hembesok refuses to read."""

from .hostile import Hostile, nested, response
from .known_leaks import (
    DEEP_PATH,
    DUPLICATE_JSON_KEY,
    DUPLICATE_YAML_KEY,
    KEY_IN_PATH,
    UNKNOWN_INSTRUMENT,
    UNKNOWN_ITEM,
    YAML_TAG,
)
from .markers import ANSWER, NAME, PNR, RESPONSE, TEXT, one_line, planted

_BASE = one_line(planted())[:-1]  # the planted case without its closing brace

CASES = [
    # values put where a key belongs
    Hostile(
        "identity number as a key of child",
        one_line(planted(child={"birth_date": "2026-03-10", PNR: NAME})),
        "an unknown key",
    ),
    Hostile("name as a top-level key", one_line({**planted(), NAME: TEXT}), "an unknown key"),
    Hostile(
        "identity number as a key of the identifier",
        one_line(planted(child__identifier={"system": NAME, "value": PNR, PNR: NAME})),
        "an unknown key",
    ),
    Hostile(
        "name as a key of first_child",
        one_line(planted(first_child={NAME: True})),
        "an unknown key",
    ),
    Hostile("fact named with a name", one_line(planted(facts={NAME: TEXT})), "$.facts"),
    Hostile(
        "fact named with an identity number, its value of the wrong type",
        one_line(planted(facts={PNR: [TEXT]})),
        "not an array",
        leak=KEY_IN_PATH,
    ),
    Hostile(
        "fact named with a name, its value too long",
        one_line(planted(facts={NAME: TEXT * 50})),
        "at most 1000 characters",
        leak=KEY_IN_PATH,
    ),
    Hostile(
        "fact named after an identity number, its value too long",
        one_line(planted(facts={f"pnr_{PNR}": TEXT * 50})),
        "at most 1000 characters",
        leak=KEY_IN_PATH,
    ),
    # wrong values
    Hostile("free text too long for area", one_line(planted(area=TEXT * 9)), "$.area"),
    Hostile(
        "free text as a list for listed_bvc", one_line(planted(listed_bvc=[TEXT])), "$.listed_bvc"
    ),
    Hostile(
        "free text as a municipality number",
        one_line(planted(municipality={"x": TEXT})),
        "$.municipality",
    ),
    Hostile("fact value too long", one_line(planted(facts={"note": TEXT * 50})), "$.facts.note"),
    Hostile("fact value an object", one_line(planted(facts={"note": {"x": TEXT}})), "$.facts.note"),
    Hostile(
        "too many facts", one_line(planted(facts={f"f{i}": TEXT for i in range(201)})), "$.facts"
    ),
    Hostile(
        "identity number as a number",
        one_line(planted(child__identifier={"system": NAME, "value": int(PNR)})),
        "$.child.identifier.value",
    ),
    Hostile(
        "identity number as birth date",
        one_line(planted(child__birth_date=PNR)),
        "$.child.birth_date",
    ),
    Hostile("name as birth date", one_line(planted(child__birth_date=NAME)), "$.child.birth_date"),
    Hostile(
        "date that is not in the calendar",
        one_line(planted(moved_in_on="2026-02-30")),
        "$.moved_in_on",
    ),
    Hostile("free text as a date", one_line(planted(moved_in_on=TEXT)), "$.moved_in_on"),
    Hostile(
        "name where a yes or no belongs",
        one_line(planted(first_child={"either_parent": NAME})),
        "must be a boolean",
    ),
    Hostile(
        "free text where a yes or no belongs",
        one_line(planted(needs_support=TEXT)),
        "$.needs_support",
    ),
    Hostile(
        "identity number as gestational age",
        one_line(planted(child__gestational_age_weeks=int(PNR))),
        "at most 45",
    ),
    Hostile(
        "identity number as gestational age text",
        one_line(planted(child__gestational_age_weeks=PNR)),
        "must be an integer",
    ),
    Hostile("a list of markers as the case", one_line([PNR, NAME, TEXT]), "must be an object"),
    Hostile("an identity number as the case", one_line(PNR), "must be an object"),
    # dates against each other and the as-of date
    Hostile(
        "child born after the as-of date",
        one_line(planted(child__birth_date="2026-06-01", responses=[])),
        "after the as-of date",
        "dates",
    ),
    Hostile(
        "visit done before the birth",
        one_line(
            planted(visits_done=[{"program": "vaggeryd", "visit": "newborn", "date": "2026-01-01"}])
        ),
        "before the child's birth date",
        "dates",
    ),
    # references: programs, visits, instruments, items, answers, occasions
    Hostile(
        "unknown program in visits_done",
        one_line(
            planted(visits_done=[{"program": f"p{PNR}", "visit": f"v{PNR}", "date": "2026-04-01"}])
        ),
        "names no installed program",
        "reference",
    ),
    Hostile(
        "unknown visit in visits_done",
        one_line(
            planted(visits_done=[{"program": "vaggeryd", "visit": f"v{PNR}", "date": "2026-04-01"}])
        ),
        "has no such visit",
        "reference",
    ),
    Hostile(
        "names as ids in visits_done",
        one_line(planted(visits_done=[{"program": NAME, "visit": NAME, "date": TEXT}])),
        "$.visits_done[0]",
    ),
    Hostile(
        "unknown program declined",
        one_line(planted(declined=[f"p{PNR}"])),
        "names no installed program",
        "reference",
    ),
    Hostile("name declined", one_line(planted(declined=[NAME, TEXT])), "$.declined"),
    Hostile(
        "unknown instrument",
        one_line(planted(responses=[response(instrument=f"i{PNR}", occasion=None)])),
        "names no installed instrument",
        "reference",
    ),
    Hostile(
        "unknown instrument at an occasion",
        one_line(planted(responses=[response(instrument=f"i{PNR}")])),
        "names no installed instrument",
        "reference",
        UNKNOWN_INSTRUMENT,
    ),
    Hostile(
        "name as an instrument",
        one_line(planted(responses=[response(instrument=NAME)])),
        "$.responses[0].instrument",
    ),
    Hostile(
        "name as an item id",
        one_line(planted(responses=[response(answers={NAME: 1})])),
        "$.responses[0].answers",
    ),
    Hostile(
        "item id after an identity number",
        one_line(planted(responses=[response(answers={f"q{PNR}": 1})])),
        "is not an item",
        "reference",
        UNKNOWN_ITEM,
    ),
    Hostile(
        "answer not among the options",
        one_line(planted(responses=[response(answers={"epds_1": ANSWER})])),
        "is not an allowed answer",
        "reference",
    ),
    Hostile(
        "answer of the wrong type",
        one_line(planted(responses=[response(answers={"epds_1": [ANSWER]})])),
        "$.responses[0].answers.epds_1",
    ),
    Hostile(
        "answer of the wrong type under a name",
        one_line(planted(responses=[response(answers={NAME: {"x": ANSWER}})])),
        "not an object",
        leak=KEY_IN_PATH,
    ),
    Hostile(
        "name as respondent",
        one_line(planted(responses=[response(respondent=NAME)])),
        "$.responses[0].respondent",
    ),
    Hostile(
        "unknown occasion",
        one_line(planted(responses=[response(occasion=f"o{PNR}")])),
        "names no occasion",
        "reference",
    ),
    Hostile(
        "identity number as a response date",
        one_line(planted(responses=[response(date=PNR)])),
        "$.responses[0].date",
    ),
    Hostile(
        "name as a response language",
        one_line(planted(responses=[response(language=NAME)])),
        "$.responses[0].language",
    ),
    Hostile(
        "answer under an unknown key of a response",
        one_line(planted(responses=[response(**{NAME: ANSWER})])),
        "an unknown key",
    ),
    # JSON that hembesok refuses to read
    Hostile(
        "identity number as a key given twice",
        _BASE + f', "{PNR}": 1, "{PNR}": 2}}',
        "twice",
        "parse",
        DUPLICATE_JSON_KEY,
    ),
    Hostile(
        "name as a key given twice",
        _BASE + f', "{NAME}": "{TEXT}", "{NAME}": "{TEXT}"}}',
        "twice",
        "parse",
        DUPLICATE_JSON_KEY,
    ),
    Hostile(
        "long key given twice",
        _BASE + f', "{NAME} {TEXT} {PNR} {NAME}": 1, "{NAME} {TEXT} {PNR} {NAME}": 2}}',
        "has a key twice",
        "parse",
    ),
    Hostile("NaN beside the markers", _BASE + ', "nan": NaN}', "NaN", "parse"),
    Hostile("Infinity beside the markers", _BASE + ', "x": -Infinity}', "Infinity", "parse"),
    Hostile("number beyond floating point", _BASE + f', "x": {PNR}e999}}', "too large", "parse"),
    Hostile(
        "number of too many digits", _BASE + f', "x": {PNR}{PNR}}}', "more than 20 digits", "parse"
    ),
    Hostile("half a surrogate pair", _BASE + f', "x": "{TEXT}\\ud800"}}', "surrogate", "parse"),
    Hostile("text not quoted", _BASE + f', "x": {NAME}}}', "JSON syntax error", "parse"),
    Hostile(
        "two strings in a row", _BASE + f', "x": "{TEXT}" "{PNR}"}}', "JSON syntax error", "parse"
    ),
    Hostile("unclosed string", _BASE + f', "x": "{TEXT}', "JSON syntax error", "parse"),
    Hostile("no colon after a name", _BASE + f', "{NAME}" "{PNR}"}}', "JSON syntax error", "parse"),
    Hostile(
        "too deep under plain keys",
        _BASE + ', "x": ' + nested(70, f'"{TEXT}"') + "}",
        "nested more than 64 levels",
    ),
    Hostile(
        "too deep under a name",
        _BASE + f', "{NAME}": ' + nested(70) + "}",
        "nested more than 64 levels",
        leak=DEEP_PATH,
    ),
    Hostile(
        "too deep under an identity number",
        _BASE + f', "{PNR}": ' + '{"a": ' * 70 + "1" + "}" * 70 + "}",
        "nested more than 64 levels",
        leak=DEEP_PATH,
    ),
]

#: A line every batch may end with: planned, and without a marker its plan could show.
GOOD = one_line(
    {
        "child": {"birth_date": "2026-03-10", "identifier": {"system": NAME, "value": PNR}},
        "municipality": "Vaggeryd",
        "first_child": {"either_parent": True},
        "responses": [RESPONSE],
    }
)

# --- cases written in YAML (`hembesok plan case.yaml`, or standard input not starting with {)

_YAML = (
    "case_ref: journal-4711\n"
    "child:\n"
    "  birth_date: '2026-03-10'\n"
    f"  identifier: {{system: {NAME}, value: '{PNR}'}}\n"
    "municipality: Vaggeryd\n"
    f"area: {TEXT}\n"
    f"facts: {{note: {TEXT}}}\n"
)

YAML_CASES = [
    Hostile(
        "identity number as a key given twice",
        _YAML + f"'{PNR}': 1\n'{PNR}': 2\n",
        "duplicate key",
        leak=DUPLICATE_YAML_KEY,
    ),
    Hostile(
        "name as a key given twice",
        _YAML + f"{NAME}: {TEXT}\n{NAME}: {TEXT}\n",
        "duplicate key",
        leak=DUPLICATE_YAML_KEY,
    ),
    Hostile("name as a key", _YAML + f"{NAME}: {TEXT}\n", "an unknown key"),
    Hostile(
        "fact named with a name, its value too long",
        _YAML.replace("facts: {note:", f"facts: {{'{NAME}':").replace(
            f"{TEXT}}}", f"{TEXT * 50}}}"
        ),
        "at most 1000 characters",
        leak=KEY_IN_PATH,
    ),
    Hostile("identity number as a tag", _YAML + f"x: !{PNR} 1\n", "has the tag", "parse", YAML_TAG),
    Hostile(
        "name in a Python tag",
        _YAML + f"x: !!python/name:{NAME.split()[1]} 1\n",
        "has the tag",
        "parse",
        YAML_TAG,
    ),
    Hostile(
        "undefined alias after an identity number",
        _YAML + f"x: *a{PNR}\n",
        "undefined alias",
        "parse",
    ),
    Hostile(
        "undefined tag handle after an identity number",
        _YAML + f"x: !h{PNR}!y 1\n",
        "tag handle",
        "parse",
    ),
    Hostile(
        "anchor given twice", _YAML + f"x: &a{PNR} 1\ny: &a{PNR} 2\n", "YAML syntax error", "parse"
    ),
    Hostile("name badly indented", _YAML + f" {NAME}: {TEXT}\n", "YAML syntax error", "parse"),
    Hostile("name after a tab", _YAML + f"x:\n\t{NAME}: {TEXT}\n", "YAML syntax error", "parse"),
    Hostile("unclosed quote", _YAML + f"x: '{NAME} {TEXT}\n", "YAML syntax error", "parse"),
    Hostile("unknown escape", _YAML + f'x: "{NAME}\\q{PNR}"\n', "YAML syntax error", "parse"),
    Hostile("identity number as a key", _YAML + f"{PNR}: {TEXT}\n", "not text", "parse"),
    Hostile("text too long", _YAML + f"x: {TEXT * 4200}\n", "longer than", "parse"),
    Hostile("too deep", _YAML + "x: " + nested(70, PNR) + "\n", "nested more than", "parse"),
    Hostile(
        "number of too many digits", _YAML + f"x: {PNR}{PNR}\n", "more than 20 digits", "parse"
    ),
    Hostile("NUL after a name", _YAML + f"x: {NAME}\x00{PNR}\n", "YAML", "parse"),
]
#: Leaks only with PyYAML's pure-Python loader, by YAML_CASES id.
PURE_YAML_LEAKS = {
    "undefined alias after an identity number",
    "undefined tag handle after an identity number",
}
