"""The package's shape: imports point one way (no cycles, nothing imports a higher layer), no
private name crosses a module, no module over 600 lines, no function over 80 lines.

Everything is read with ``ast`` from the source files (nothing is imported), counting every
import, at module level or inside a function. See docs/architecture.md for the layers.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "loglik"

# Lowest first: a module may import from its own layer or any lower one. The longest matching
# prefix decides a module's layer (``loglik.estimation.x`` is in ``loglik.estimation``).
LAYERS = [
    "loglik._validation loglik._blas loglik.data",
    "loglik.estimation",
    "loglik.models",
    "loglik.regularization",
    "loglik.optimizers loglik.schedules loglik.priors loglik.plotting",
    "loglik loglik.demo loglik.cli",
]
MAX_MODULE_LINES = 600
MAX_FUNCTION_LINES = 80  # from ``def`` to the function's last line, its docstring not counted

# Violations that exist today and are being removed. The test fails on any violation not listed
# here, and on an entry that no longer occurs (remove it then).
KNOWN_VIOLATIONS = {
    # shortened once the bad-input and formula work on the CLI has landed
    "function: loglik.cli._parser",
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
TREES = {name: ast.parse(path.read_text(), filename=str(path)) for name, path in MODULES.items()}


def resolve(name: str, node: ast.ImportFrom) -> str:
    """The absolute module an ``ImportFrom`` in module ``name`` reads from."""
    if not node.level:
        return node.module or ""
    package = name.split(".") if MODULES[name].name == "__init__.py" else name.split(".")[:-1]
    stem = package[: len(package) - node.level + 1]
    return ".".join(stem + ([node.module] if node.module else []))


def known_prefix(target: str) -> str | None:
    """The longest module of the package that ``target`` names or lies in."""
    parts = target.split(".")
    for k in range(len(parts), 0, -1):
        candidate = ".".join(parts[:k])
        if candidate in MODULES:
            return candidate
    return None


def imports(name: str) -> set[str]:
    """The package's modules that module ``name`` imports (``from pkg import mod`` names mod)."""
    out = set()
    for node in ast.walk(TREES[name]):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = resolve(name, node)
            targets = [
                f"{source}.{a.name}" if f"{source}.{a.name}" in MODULES else source
                for a in node.names
            ]
        else:
            continue
        out.update(t for t in map(known_prefix, targets) if t is not None and t != name)
    return out


GRAPH = {name: imports(name) for name in MODULES}


def layer_of(module: str) -> int | None:
    best, best_len = None, -1
    for i, layer in enumerate(LAYERS):
        for prefix in layer.split():
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_len:
                best, best_len = i, len(prefix)
    return best


def cycles() -> list[list[str]]:
    """Strongly connected components of more than one module (packages' ``__init__`` left out:
    they re-export what is below them)."""
    nodes = [n for n in GRAPH if MODULES[n].name != "__init__.py"]
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in nodes:
                continue
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in nodes:
        if v not in index:
            visit(v)
    return found


def private_imports() -> list[str]:
    out = []
    for name, tree in TREES.items():
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom):
                continue
            source = resolve(name, node)
            for alias in node.names:
                private = alias.name.startswith("_") and not alias.name.endswith("__")
                if private and f"{source}.{alias.name}" not in MODULES:
                    out.append(f"private: {name} imports {alias.name} from {source}")
    return out


def function_lines(node) -> int:
    total = node.end_lineno - node.lineno + 1
    first = node.body[0]
    if isinstance(first, ast.Expr) and isinstance(getattr(first, "value", None), ast.Constant):
        if isinstance(first.value.value, str):
            total -= first.end_lineno - first.lineno + 1
    return total


def long_functions() -> list[str]:
    out = []

    def walk(node, prefix):
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                qualified = f"{prefix}.{child.name}"
                is_function = not isinstance(child, ast.ClassDef)
                if is_function and function_lines(child) > MAX_FUNCTION_LINES:
                    out.append(f"function: {qualified}")
                walk(child, qualified)
            else:
                walk(child, prefix)

    for name, tree in TREES.items():
        walk(tree, name)
    return out


def violations() -> set[str]:
    found = {"cycle: " + " <-> ".join(c) for c in cycles()}
    for a, targets in GRAPH.items():
        for b in targets:
            la, lb = layer_of(a), layer_of(b)
            if la is not None and lb is not None and lb > la:
                found.add(f"upward: {a} imports {b}")
    found.update(private_imports())
    for name, path in MODULES.items():
        if len(path.read_text().splitlines()) > MAX_MODULE_LINES:
            found.add(f"module: {name}")
    found.update(long_functions())
    return found


def test_every_module_is_in_a_layer():
    assert [m for m in MODULES if layer_of(m) is None] == []


def test_no_new_architecture_violation():
    new = sorted(violations() - KNOWN_VIOLATIONS)
    assert new == [], "new violations:\n" + "\n".join(new)


def test_known_violations_still_exist():
    fixed = sorted(KNOWN_VIOLATIONS - violations())
    assert fixed == [], "no longer violated, remove from KNOWN_VIOLATIONS:\n" + "\n".join(fixed)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from .b import x", {"pkg.a.b"}),
        ("from ..c import _hidden", {"pkg.c"}),
        ("def f():\n    from pkg.a import b", {"pkg.a.b"}),
    ],
)
def test_the_import_reader_sees_relative_lazy_and_submodule_imports(source, expected, monkeypatch):
    fake = {
        "pkg": Path("pkg/__init__.py"),
        "pkg.a": Path("pkg/a/__init__.py"),
        "pkg.a.m": Path("pkg/a/m.py"),
        "pkg.a.b": Path("pkg/a/b.py"),
        "pkg.c": Path("pkg/c.py"),
    }
    monkeypatch.setitem(globals(), "MODULES", fake)
    monkeypatch.setitem(TREES, "pkg.a.m", ast.parse(source))
    assert imports("pkg.a.m") == expected
