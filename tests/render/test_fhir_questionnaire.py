"""Every installed instrument as a FHIR R4 Questionnaire that the FHIR library validates."""

import pytest
from fhir.resources.R4B.questionnaire import Questionnaire

from hembesok.api import UnknownInstrument, fhir_questionnaire
from hembesok.engine.engine import Engine

ENGINE = Engine.from_installed(env={})


@pytest.mark.parametrize("instrument_id", sorted(ENGINE.instruments))
def test_every_instrument_is_a_valid_questionnaire_item_by_item(instrument_id):
    instrument = ENGINE.instruments[instrument_id]
    resource = fhir_questionnaire(instrument_id, engine=ENGINE)
    Questionnaire.model_validate(resource)
    assert resource["url"] == f"urn:hembesok:instrument:{instrument_id}"
    assert resource["version"] == instrument.version
    assert resource["identifier"] == [{"system": "urn:hembesok:sha256", "value": instrument.sha256}]
    assert resource["status"] == ("draft" if instrument.representative else "active")
    assert [i["linkId"] for i in resource["item"]] == list(instrument.items)
    for entry in resource["item"]:
        item = instrument.items[entry["linkId"]]
        assert entry["text"] == item.text["sv"]
        codes = [o["valueCoding"]["code"] for o in entry.get("answerOption", [])]
        if item.type == "yes_no":
            assert codes == ["Y", "N"]
        elif item.type == "choice":
            assert codes == [str(v) for v in item.scores]


def test_an_unknown_instrument_is_named_with_the_installed_ones():
    with pytest.raises(UnknownInstrument, match="installed: barnsakert, epds"):
        fhir_questionnaire("nope", engine=ENGINE)
