"""docs/api.md: every example runs as written, and every public name and module is covered."""

import doctest
import re
from pathlib import Path

import hembesok

ROOT = Path(__file__).parents[2]
API_DOC = ROOT / "docs" / "api.md"
TEXT = API_DOC.read_text(encoding="utf-8")
BLOCKS = re.findall(r"```pycon\n(.*?)```", TEXT, flags=re.S)


def test_every_example_in_the_api_doc_runs_as_written():
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    namespace: dict = {}
    for index, block in enumerate(BLOCKS):
        test = parser.get_doctest(block, namespace, f"api.md block {index + 1}", str(API_DOC), 0)
        runner.run(test, clear_globs=False)
        namespace = test.globs  # later blocks go on from what earlier ones defined
    results = runner.summarize(verbose=False)
    assert len(BLOCKS) >= 5
    assert results.attempted >= 20
    assert results.failed == 0


def test_every_exported_name_is_described():
    missing = [name for name in hembesok.__all__ if f"`{name}" not in TEXT]
    assert missing == []


def test_every_module_is_named_public_or_internal():
    package = ROOT / "core" / "hembesok"
    modules = sorted(
        p.stem
        for p in package.iterdir()
        if (p.suffix == ".py" and p.name != "__init__.py") or (p / "__init__.py").exists()
    )
    unnamed = [m for m in modules if f"`{m}`" not in TEXT and f"`hembesok.{m}`" not in TEXT]
    assert unnamed == [], "name these modules in docs/api.md (public or internal)"
