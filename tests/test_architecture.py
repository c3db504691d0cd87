"""The tree keeps the shape docs/architecture.md draws: layers that import downwards only,
no import circle (imports inside functions count), nothing importing the package root."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "core" / "hembesok"
#: The layers from the top down; a module may import its own layer and those below it.
#: Layers on one line are siblings and may not import each other.
LAYERS = [
    ["cli"],
    ["batch", "service", "authoring", "report"],
    ["api"],
    ["engine"],
    ["plugins"],
    ["render"],
    ["io"],
    ["language"],
    ["model"],
    ["version"],
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        yield ".".join(parts), path


def imports(name, path, packages=False):
    """Every hembesok module `name` imports, at any depth, but for type checking only.

    With `packages`, `from a.b import c` also names `a.b`: importing `c` runs `a/b/__init__`
    first, so a circle can pass through a package without naming any module in it."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip |= {id(sub) for child in node.body for sub in ast.walk(child)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            if packages and base:
                yield node.lineno, base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}" if base else alias.name


def layer(module):
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else None


def known(target, names):
    while target and target not in names:
        target = target.rpartition(".")[0]
    return target


def test_every_package_and_top_level_module_has_a_layer():
    found = {layer(name) for name, _ in modules()} - {None}
    assert found == set(RANK), "give every new package a layer here and in docs/architecture.md"


def test_imports_go_down_the_layers_only():
    names = {name for name, _ in modules()}
    wrong = []
    for name, path in modules():
        own = layer(name)
        for line, target in imports(name, path):
            found = known(target, names)
            if not found.startswith("hembesok.") or own is None:
                continue
            other = layer(found)
            if other == own:
                continue
            if RANK[other] <= RANK[own]:
                wrong.append(f"{path.relative_to(ROOT)}:{line}: {name} imports {found}")
    assert wrong == []


def test_nothing_inside_the_package_imports_the_package_root():
    offenders = [
        f"{path.relative_to(ROOT)}:{line}"
        for name, path in modules()
        if name != "hembesok"
        for line, target in imports(name, path)
        if target == "hembesok"
        or (re.fullmatch(r"hembesok\.[A-Za-z_]+", target) and target.split(".")[1] not in RANK)
    ]
    assert offenders == []


def circles():
    names = {name for name, _ in modules()}
    graph = {
        name: {
            found
            for _, target in imports(name, path, packages=True)
            if (found := known(target, names)) and found != name
        }
        for name, path in modules()
    }
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circle_even_through_imports_inside_functions():
    assert circles() == []


def test_the_architecture_doc_names_every_package_in_its_layer_order():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    positions = [text.index(f"`hembesok.{name}`") for names in LAYERS for name in names]
    assert positions == sorted(positions)
