"""/docs's files: found in the installed package by fixed names, or none when it is absent."""

import pytest

from hembesok.service import swagger


def test_every_file_the_page_loads_is_installed_and_local():
    for path in swagger.ASSET_PATHS:
        found, media = swagger.asset(path)
        assert found.is_file() and found.stat().st_size > 0 and media
    assert all(path.startswith(swagger.DOCS_PATH + "/") for path in swagger.ASSET_PATHS)
    assert b"://" not in swagger.PAGE and b"://" not in swagger.INITIALIZER


def test_no_files_without_the_package_and_no_path_a_client_chose(monkeypatch):
    monkeypatch.setattr(swagger, "PACKAGE", "hembesok_no_such_swagger_package")
    assert swagger.asset("/docs/swagger-ui.css") is None
    with pytest.raises(KeyError):
        swagger.asset("/docs/../../etc/passwd")
