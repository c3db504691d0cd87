"""Safe generation of Python functions from a program's rules.

Values from a program file never become code. Generated source holds only names this
module makes up (`c0`, `c1`, ...), Python keywords and small integers; every value a
rule needs (a fact name, an operand, a prepared reason) is bound under such a name in
the function's own namespace. `define` checks that promise on the syntax tree before it
compiles anything, so a program whose ids or texts look like Python stays data.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any


class UnsafeSource(AssertionError):
    """Generated source that holds a value: a bug in the generator, never a user's mistake."""


class Namespace:
    """The values a generated function reads, each under a name made here."""

    def __init__(self, **builtins: Any) -> None:
        self.values: dict[str, Any] = dict(builtins)
        self._names: dict[int, str] = {}
        self._count = 0

    def bind(self, value: Any) -> str:
        """The name under which `value` is visible to generated code (one name per object)."""
        known = self._names.get(id(value))
        if known is not None and self.values[known] is value:
            return known
        name = f"c{self._count}"
        self._count += 1
        self.values[name] = value
        self._names[id(value)] = name
        return name


def define(name: str, lines: list[str], namespace: Namespace, *, label: str) -> Callable[..., Any]:
    """Compile the function `name` from `lines` with `namespace` as its globals.

    `label` names the program in tracebacks (`<hembesok program vaggeryd>`); it is
    never part of the source.
    """
    source = "\n".join(lines) + "\n"
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and not (
            node.value is None
            or isinstance(node.value, bool)
            or (isinstance(node.value, int) and 0 <= node.value < 1_000_000)
        ):
            raise UnsafeSource(f"generated code for {label} holds a value: {type(node.value)}")
    code = compile(tree, f"<hembesok {label}>", "exec")
    scope = dict(namespace.values)
    exec(code, scope)  # the source was made here and checked above; it holds no file value
    function: Callable[..., Any] = scope[name]
    return function
