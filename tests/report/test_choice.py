"""`--bvc`: names as typed matched to the names the tables hold."""

import pytest

from hembesok.report.choice import UnknownBvc, bvc_key, match_bvcs

KNOWN = ["Rinkeby BVC", "rinkeby bvc", "Nässjö BVC", "Södra BVC"]


def test_case_composition_and_spaces_do_not_matter():
    decomposed = "Na\u0308ssjo\u0308  bvc "  # "Nässjö" with combining diaereses, two spaces
    assert match_bvcs([decomposed], KNOWN) == ("Nässjö BVC",)
    assert bvc_key("  RINKEBY\tBVC") == bvc_key("Rinkeby BVC")


def test_every_spelling_the_tables_hold_is_matched_once():
    assert match_bvcs(["RINKEBY BVC", "rinkeby bvc"], KNOWN) == ("Rinkeby BVC", "rinkeby bvc")


def test_an_unknown_bvc_names_the_known_ones():
    with pytest.raises(UnknownBvc) as raised:
        match_bvcs(["Norra BVC"], KNOWN)
    message = str(raised.value)
    assert "'Norra BVC'" in message and "Södra BVC" in message and "Nässjö BVC" in message


def test_a_long_list_of_known_bvcs_is_cut():
    many = [f"BVC {n:03}" for n in range(100)]
    with pytest.raises(UnknownBvc) as raised:
        match_bvcs(["x"], many)
    message = str(raised.value)
    assert "BVC 029" in message and "BVC 030" not in message and message.endswith("…")
