"""The factory's settings from HEMBESOK_* variables: defaults, values, and clear refusals."""

import pytest

from hembesok.io.limits import BODY_TIMEOUT_SECONDS, MAX_BODY_BYTES
from hembesok.service.settings import ServiceSettings, SettingError


def test_unset_and_empty_variables_give_the_defaults_of_hembesok_serve():
    for env in ({}, {"HEMBESOK_MAX_BODY_BYTES": "", "HEMBESOK_ACCESS_LOG": "  "}):
        settings = ServiceSettings.from_env(env)
        assert settings == ServiceSettings()
        assert (settings.max_body_bytes, settings.body_timeout) == (
            MAX_BODY_BYTES,
            BODY_TIMEOUT_SECONDS,
        )
        assert settings.max_concurrent is None and settings.access_log


def test_every_variable_is_read():
    env = {
        "HEMBESOK_MAX_BODY_BYTES": "65536",
        "HEMBESOK_BODY_TIMEOUT": "2.5",
        "HEMBESOK_HEADER_TIMEOUT": "3",
        "HEMBESOK_MAX_CONCURRENT": "4",
        "HEMBESOK_ACCESS_LOG": "off",
    }
    settings = ServiceSettings.from_env(env)
    assert settings == ServiceSettings(65536, 2.5, 3.0, 4, False)
    assert ServiceSettings.from_env(settings.to_env()) == settings


@pytest.mark.parametrize(
    ("name", "value", "says"),
    [
        ("HEMBESOK_MAX_BODY_BYTES", "1MB", "a whole number, 1 or more"),
        ("HEMBESOK_MAX_BODY_BYTES", "0", "a whole number, 1 or more"),
        ("HEMBESOK_MAX_CONCURRENT", "-2", "a whole number, 1 or more"),
        ("HEMBESOK_BODY_TIMEOUT", "0", "seconds above 0"),
        ("HEMBESOK_HEADER_TIMEOUT", "nan", "seconds above 0"),
        ("HEMBESOK_HEADER_TIMEOUT", "inf", "seconds above 0"),
        ("HEMBESOK_ACCESS_LOG", "maybe", "must be 1 or 0"),
    ],
)
def test_a_wrong_value_is_named_with_what_would_be_right(name, value, says):
    with pytest.raises(SettingError) as caught:
        ServiceSettings.from_env({name: value})
    assert str(caught.value).startswith(f"{name}={value!r}: ") and says in str(caught.value)
