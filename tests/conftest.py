"""Shared fixtures: the core built once as a wheel, and fresh virtual environments with it."""

import os
import subprocess
import sys
import venv
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]


def build_wheel(project: Path, out: Path) -> Path:
    """A wheel of `project`, built with this environment's setuptools (no download)."""
    before = set(out.glob("*.whl"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-w",
            str(out),
            str(project),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = set(out.glob("*.whl")) - before
    return wheel


@pytest.fixture(scope="session")
def wheel_builder() -> Callable[[Path, Path], Path]:
    return build_wheel


@pytest.fixture(scope="session")
def core_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_wheel(ROOT, tmp_path_factory.mktemp("core-wheel"))


@pytest.fixture
def fresh_venv(tmp_path: Path, core_wheel: Path) -> Callable[..., Path]:
    """Make a new virtual environment with the core wheel (and any given wheels); return its bin."""

    def make(*wheels: Path, name: str = "fresh") -> Path:
        env_dir = tmp_path / name
        venv.EnvBuilder(with_pip=True).create(env_dir)
        bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
        subprocess.run(
            [
                str(bindir / "python"),
                "-m",
                "pip",
                "install",
                "--quiet",
                str(core_wheel),
                *map(str, wheels),
            ],
            check=True,
            capture_output=True,
        )
        return bindir

    return make


def _load_support(name: str):  # tests/ is not a package; load the helper by path
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        f"hembesok_tests_{name}", Path(__file__).parent / "support" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = sys.modules.get(spec.name)
    if module is None:
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def screenshot():
    """`screenshot(page, out, width=1200, height=900) -> Picture` in headless Chromium
    (tests/support/browser.py): `.count_near((r, g, b))`, `.colours()`, `.non_background()`."""
    return _load_support("browser").screenshot


@pytest.fixture(scope="session")
def serving():
    """`with serving(app, **server_config_options) as port:` the app served by uvicorn in a
    thread on a free loopback port (tests/support/servers.py)."""
    return _load_support("servers").running


def _questionnaire_response(native: dict, questionnaire: dict, program: str | None = None) -> dict:
    """A native response as the FHIR QuestionnaireResponse a journal would send for the
    Questionnaire `hembesok fhir questionnaire` wrote: each answer as the option coding
    the Questionnaire offers (found by its code), numbers as valueDecimal."""
    items = []
    for item in questionnaire["item"]:
        entry: dict = {"linkId": item["linkId"]}
        answer = native["answers"].get(item["linkId"])
        if answer is not None:
            if "answerOption" in item:
                code = {"yes": "Y", "no": "N"}.get(answer, str(answer))
                (option,) = [
                    o["valueCoding"]
                    for o in item["answerOption"]
                    if o["valueCoding"]["code"] == code
                ]
                entry["answer"] = [{"valueCoding": option}]
            else:
                entry["answer"] = [{"valueDecimal": answer}]
        items.append(entry)
    out = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{questionnaire['url']}|{questionnaire['version']}",
        "status": "completed",
        "authored": native["date"] + "T09:30:00+02:00",
        "item": items,
    }
    if "language" in native:
        out["language"] = native["language"]
    if "occasion" in native and program is not None:  # the visit of that program's CarePlan
        system = f"urn:hembesok:program:{program}:activity"
        out["basedOn"] = [{"identifier": {"system": system, "value": native["occasion"]}}]
    if "respondent" in native:
        out["source"] = {
            "identifier": {"system": "urn:hembesok:respondent", "value": native["respondent"]}
        }
    return out


@pytest.fixture
def as_questionnaire_response() -> Callable[..., dict]:
    """Builds a QuestionnaireResponse from a native response and a Questionnaire."""
    return _questionnaire_response
