"""Hostile questionnaire responses (`hembesok screen`, POST /v1/screen), one line of JSON
each, with the markers planted in them."""

from .hostile import Hostile, response
from .known_leaks import DUPLICATE_JSON_KEY, KEY_IN_PATH, UNHASHABLE_ANSWER, UNKNOWN_ITEM
from .markers import ANSWER, NAME, PNR, RESPONSE, one_line


def _one(**changes):
    return one_line(response(**changes))


_RESPONSE_BASE = _one()[:-1]

RESPONSES = [
    Hostile("unknown instrument", _one(instrument=f"i{PNR}"), "names no installed instrument"),
    Hostile("name as an instrument", _one(instrument=NAME), "$.instrument"),
    Hostile("name as an item id", _one(answers={NAME: 1}), "$.answers", leak=UNKNOWN_ITEM),
    Hostile(
        "identity number as an item id", _one(answers={PNR: 1}), "$.answers", leak=UNKNOWN_ITEM
    ),
    Hostile(
        "item id after an identity number",
        _one(answers={f"q{PNR}": 1}),
        "is not an item",
        leak=UNKNOWN_ITEM,
    ),
    Hostile(
        "answer not among the options", _one(answers={"epds_1": ANSWER}), "is not an allowed answer"
    ),
    Hostile(
        "identity number as an answer",
        _one(answers={"epds_1": int(PNR)}),
        "is not an allowed answer",
    ),
    Hostile(
        "answer of the wrong type",
        _one(answers={"epds_1": [ANSWER]}),
        "$.answers.epds_1",
        internal=UNHASHABLE_ANSWER,
    ),
    Hostile(
        "answer of the wrong type under a name",
        _one(answers={NAME: [ANSWER]}),
        "not an array",
        leak=f"{KEY_IN_PATH}; and {UNKNOWN_ITEM}",
    ),
    Hostile("answers as a list", _one(answers=[ANSWER, NAME]), "$.answers"),
    Hostile("name as respondent", _one(respondent=NAME), "$.respondent"),
    Hostile("identity number as respondent", _one(respondent=PNR), "$.respondent"),
    Hostile("identity number as date", _one(date=PNR), "$.date"),
    Hostile("name as language", _one(language=NAME), "$.language"),
    Hostile("answer under an unknown key", one_line({**RESPONSE, NAME: ANSWER}), "an unknown key"),
    Hostile(
        "identity number as a key given twice",
        _RESPONSE_BASE + f', "{PNR}": "{ANSWER}", "{PNR}": "{ANSWER}"}}',
        "twice",
        "parse",
        DUPLICATE_JSON_KEY,
    ),
    Hostile(
        "NaN beside an answer", _RESPONSE_BASE + f', "x": NaN, "y": "{ANSWER}"}}', "NaN", "parse"
    ),
    Hostile("not JSON", f"{{{ANSWER}: {NAME}}}", "JSON syntax error", "parse"),
    Hostile("a list of markers", one_line([PNR, NAME, ANSWER]), "object"),
]
