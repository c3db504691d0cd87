"""`hembesok fhir`: hembesok's definitions in HL7 FHIR R4, for a journal system to load."""

from __future__ import annotations

import json

import click

from hembesok.cli.common import EXIT_PLUGINS, EXIT_USAGE, Failure
from hembesok.cli.common import engine as engine_


@click.group()
def fhir() -> None:
    """HL7 FHIR R4 resources made from the installed definitions (needs hembesok[fhir]).

    A plan as FHIR is `hembesok plan CASE --format fhir`; `hembesok screen` reads a
    QuestionnaireResponse as it reads a native response. See docs/fhir.md.
    """


@fhir.command()
@click.argument("instrument_id", metavar="ID")
def questionnaire(instrument_id: str) -> None:
    """Print an installed instrument (epds, barnsakert, ...) as a FHIR R4 Questionnaire (JSON).

    Item texts are Swedish with the English as a translation extension; each item's linkId
    is its id, so the journal's QuestionnaireResponse goes to `hembesok screen` as it is.
    """
    from hembesok.api import UnknownInstrument, fhir_questionnaire
    from hembesok.render.formats import MissingExtra

    try:
        resource = fhir_questionnaire(instrument_id, engine=engine_())
    except UnknownInstrument as exc:
        raise Failure(f"hembesok: {exc}", EXIT_USAGE) from None
    except MissingExtra as exc:
        raise Failure(f"hembesok: {exc}", EXIT_PLUGINS) from None
    click.echo(json.dumps(resource, ensure_ascii=False, indent=2))
