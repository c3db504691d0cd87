"""The table of plan formats the library, the command line and the service share."""

import pytest

from hembesok.render.formats import PLAN_FORMATS, MissingExtra, PlanFormat


def test_json_and_compact_are_always_there_and_the_table_is_read_only():
    assert {"json", "compact"} <= set(PLAN_FORMATS)
    assert PLAN_FORMATS["compact"].media_type == "application/json"
    with pytest.raises(TypeError):
        PLAN_FORMATS["x"] = PLAN_FORMATS["json"]  # type: ignore[index]


def test_a_format_whose_library_is_missing_names_the_extra_to_install():
    def load():
        raise ImportError("No module named 'fhir'")

    missing = PlanFormat("fhir", "application/fhir+json", "a FHIR Bundle", load, extra="fhir")
    with pytest.raises(MissingExtra) as caught:
        missing.writer()
    assert str(caught.value) == "format fhir needs the optional extra: pip install 'hembesok[fhir]'"
    built_in = PlanFormat("x", "application/json", "x", load)
    with pytest.raises(ImportError):  # a core format's import error is a bug, not an extra
        built_in.writer()
