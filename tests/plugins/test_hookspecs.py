"""Every hook is documented in docs/hooks.md with an example, and exercised by a test."""

import inspect
import re
from pathlib import Path

from hembesok.plugins import hookspecs

ROOT = Path(__file__).parents[2]
HOOKS = sorted(
    name
    for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
    if name.startswith("hembesok_")
)


def test_the_hook_set():
    assert HOOKS == [
        "hembesok_case_facts",
        "hembesok_eligibility",
        "hembesok_instruments",
        "hembesok_programs",
        "hembesok_screening",
        "hembesok_visit_schedule",
    ]


def test_every_hook_has_a_section_with_an_example_in_the_docs():
    text = (ROOT / "docs" / "hooks.md").read_text()
    for hook in HOOKS:
        match = re.search(rf"^## {hook}\n(.*?)(?=^## |\Z)", text, re.S | re.M)
        assert match, f"{hook} is not documented in docs/hooks.md"
        assert "```python" in match.group(1) and f"def {hook}(" in match.group(1), (
            f"{hook} has no example"
        )


def test_every_hook_has_a_docstring_example():
    for hook in HOOKS:
        doc = getattr(hookspecs, hook).__doc__ or ""
        assert "Example" in doc and f"def {hook}(" in doc, hook


def test_every_hook_is_exercised_by_a_test():
    tests = "\n".join(
        p.read_text() for p in (ROOT / "tests").rglob("test_*.py") if p.name != "test_hookspecs.py"
    )
    for hook in HOOKS:
        assert f"def {hook}(" in tests, f"no test implements {hook}"
