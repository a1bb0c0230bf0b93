"""The package's architecture, held as tests (docs/architecture.md describes it).

These read the source with `ast` and import nothing of the planner's but the rule registry, so
they fail on the commit that breaks a rule of the layout, not later when someone trips on it:

* the runtime import graph of `planner` has no cycle (imports under `if TYPE_CHECKING:` are for
  annotations only and are not followed), and the independent checker imports no model code;
* planner modules import at module top, except the optional dependencies of the extras;
* no module outside `planner/rules/` names a rule class or compares a rule's type name, so a
  rule's knowledge lives in its one module;
* no function is longer than 80 lines, and the package root holds at most ten modules.
"""

from __future__ import annotations

import ast
from pathlib import Path

import networkx as nx
import pytest

from planner.rules import REGISTRY

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "planner"
MAX_FUNCTION_LINES = 80
OPTIONAL = ("matplotlib", "dask", "distributed", "vietnamadminunits")
"""The extras' packages (pyproject.toml): imported where used, so that the core runs without them."""
LATE = ("planner.entry", "planner.io.xlsxio")
"""Modules that import late on purpose: the entry point loads the command line only after its
Ctrl-C handler is in place; the workbook reader loads openpyxl only for a workbook."""
FAMILIES = ("PostFilter", "PairRule", "ShareRule")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
TREES = {name: ast.parse(path.read_text(encoding="utf-8")) for name, path in MODULES.items()}


def _type_only_nodes(tree: ast.Module) -> set[int]:
    """Ids of the nodes inside `if TYPE_CHECKING:` blocks."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            out.update(id(n) for n in ast.walk(node))
    return out


def _imported(module: str, node: ast.Import | ast.ImportFrom) -> list[str]:
    """Absolute names an import statement brings in (module names and module.attribute)."""
    if isinstance(node, ast.Import):
        return [a.name for a in node.names]
    base = node.module or ""
    if node.level:
        package = module.split(".")
        if not MODULES[module].name == "__init__.py":
            package = package[:-1]
        package = package[:len(package) - node.level + 1]
        base = ".".join(package + ([node.module] if node.module else []))
    return [base] + [f"{base}.{a.name}" for a in node.names]


def _planner_module(name: str) -> str | None:
    while name and name not in MODULES:
        name = name.rpartition(".")[0]
    return name or None


def runtime_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    graph.add_nodes_from(MODULES)
    for module, tree in TREES.items():
        skip = _type_only_nodes(tree)
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in skip:
                for name in _imported(module, node):
                    target = _planner_module(name)
                    if target and target != module:
                        graph.add_edge(module, target)
    return graph


def test_runtime_imports_have_no_cycle():
    cycles = [sorted(c) for c in nx.strongly_connected_components(runtime_graph()) if len(c) > 1]
    assert cycles == []


@pytest.mark.parametrize("lower, upper", [
    ("planner.check", "planner.model"), ("planner.check", "planner.solver"),
    ("planner.rules", "planner.model"), ("planner.rules", "planner.solver"),
    ("planner.rules", "planner.explain"), ("planner.model", "planner.check"),
    ("planner.model", "planner.solver"), ("planner.model", "planner.explain"),
    ("planner.io", "planner.model"), ("planner.io", "planner.solver"),
])
def test_lower_layers_do_not_import_upper_ones(lower, upper):
    """The checker shares no code with the model (independent verification); rules, the model
    and input reading know nothing of solving, explaining or reporting."""
    graph = runtime_graph()
    wrong = [(a, b) for a, b in graph.edges
             if a.startswith(lower + ".") and (b == upper or b.startswith(upper + "."))]
    assert wrong == []


def test_only_the_entry_point_imports_the_cli():
    graph = runtime_graph()
    wrong = [(a, b) for a, b in graph.edges if b.startswith("planner.cli")
             and not (a.startswith("planner.cli") or a == "planner.entry")]
    assert wrong == []


def test_imports_sit_at_module_top_except_optional_dependencies():
    inner = []
    for module, tree in TREES.items():
        if module in LATE:
            continue
        top = {id(n) for n in tree.body} | {id(n) for n in ast.walk(tree)
                                             if isinstance(n, ast.If) and n in tree.body}
        for stmt in tree.body:  # imports inside top-level `if TYPE_CHECKING:` / `try:` count as top
            if isinstance(stmt, (ast.If, ast.Try)):
                top.update(id(n) for n in ast.walk(stmt))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in top:
                names = _imported(module, node)
                if not any(n.split(".")[0] in OPTIONAL for n in names):
                    inner.append(f"{module}:{node.lineno}: {ast.unparse(node)}")
    assert inner == []


def _rule_words() -> tuple[set[str], set[str]]:
    classes = {cls.__name__ for cls in REGISTRY.values()} | set(FAMILIES)
    return classes, set(REGISTRY)


def test_no_module_outside_rules_names_a_rule():
    """A rule's class is named only in planner/rules/; elsewhere code asks the rule itself (its
    methods) or the registry, as a policy file does."""
    classes, type_names = _rule_words()
    found = []
    for module, tree in TREES.items():
        if module.startswith("planner.rules"):
            continue
        for node in ast.walk(tree):
            named = (node.id if isinstance(node, ast.Name) else node.attr
                     if isinstance(node, ast.Attribute) else node.name
                     if isinstance(node, ast.alias) else None)
            if named in classes or (isinstance(node, ast.alias) and node.name.split(".")[-1] in classes):
                found.append(f"{module}:{getattr(node, 'lineno', '?')}: {named}")
            if isinstance(node, ast.Constant) and node.value in classes:
                found.append(f"{module}:{node.lineno}: {node.value!r}")
            if isinstance(node, ast.Compare):
                if "__name__" in ast.unparse(node):
                    found.append(f"{module}:{node.lineno}: {ast.unparse(node)}")
                if "rule" not in ast.unparse(node):
                    continue  # e.g. a metric called non_local, not a rule's type
                for side in [node.left, *node.comparators]:
                    values = side.elts if isinstance(side, (ast.Tuple, ast.List, ast.Set)) else [side]
                    for v in values:
                        if isinstance(v, ast.Constant) and v.value in type_names:
                            found.append(f"{module}:{node.lineno}: compares with {v.value!r}")
    assert found == []


def test_no_function_is_longer_than_80_lines():
    long = []
    for path in [*PACKAGE.rglob("*.py"), *(ROOT / "benchmarks").rglob("*.py")]:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                lines = node.end_lineno - node.lineno + 1
                if lines > MAX_FUNCTION_LINES:
                    long.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {lines} lines")
    assert long == []


def test_the_package_root_holds_the_public_api_and_few_modules():
    root_modules = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(root_modules) <= 10, root_modules
    import planner

    assert {"solve", "check_plan", "load_scenario", "load_policy", "Result", "Scenario",
            "Policy", "CheckReport", "InputError"} <= set(planner.__all__)
