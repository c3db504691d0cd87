"""docs/editors.md: the VS Code settings it gives map every shipped file to the bundle of
its kind, and name only bundles that exist."""

import json
import re
from pathlib import Path

import yaml

ROOT = Path(__file__).parents[2]
DOC = ROOT / "docs" / "editors.md"


def settings():
    (block,) = re.findall(r"```json\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    return json.loads(block)


def matches(pattern, path):
    """A VS Code glob against a path relative to the workspace folder: `**/` any folders,
    `*` within one name; a leading `/` anchors at the folder, else any ending matches."""
    anchored = pattern.startswith("/")
    body = re.escape(pattern.lstrip("/")).replace(r"\*\*/", "(?:.*/)?").replace(r"\*", "[^/]*")
    return re.fullmatch(body if anchored else f"(?:.*/)?{body}", path) is not None


def selected(patterns, path):
    keep = [p for p in patterns if not p.startswith("!")]
    drop = [p[1:] for p in patterns if p.startswith("!")]
    return any(matches(p, path) for p in keep) and not any(matches(p, path) for p in drop)


def kind(data):
    if isinstance(data, list):
        return "responses"
    if "child" in data:
        return "case"
    if {"items", "domains"} <= data.keys():
        return "instrument"
    return "response" if "answers" in data else "program"


def bundle_of(url):
    path = (ROOT / url).resolve()
    assert path.parent == (ROOT / "schemas" / "bundled").resolve() and path.is_file(), url
    return path.name.removesuffix(".schema.json")


def test_yaml_schemas_map_every_bundled_program_and_instrument_file_to_its_kind():
    mapping = settings()["yaml.schemas"]
    for file in ROOT.glob("plugins/*/hembesok_*/*.y*ml"):
        relative = file.relative_to(ROOT).as_posix()
        wanted = kind(yaml.safe_load(file.read_text(encoding="utf-8")))
        chosen = [bundle_of(url) for url, globs in mapping.items() if selected(globs, relative)]
        assert chosen == [wanted], relative


def test_json_schemas_map_every_example_case_and_response_to_its_kind():
    entries = settings()["json.schemas"]
    for file in ROOT.glob("examples/*.json"):
        relative = file.relative_to(ROOT).as_posix()
        wanted = kind(json.loads(file.read_text(encoding="utf-8")))
        chosen = [bundle_of(e["url"]) for e in entries if selected(e["fileMatch"], relative)]
        assert chosen == ([] if wanted == "responses" else [wanted]), relative
