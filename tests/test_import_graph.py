"""The project's modules import each other without a cycle, and `orgs` never imports `cases`.

Every import counts, including those inside functions: an import moved into a function to dodge
a cycle still ties the two modules together, and the cycle comes back as soon as someone moves
it up again. Only imports under `if TYPE_CHECKING:` are left out: they never run.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("casetracker", "cases", "orgs")


def project_modules() -> dict[str, Path]:
    """Every project module by dotted name (a package by its own name), migrations left out."""
    modules = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            modules[".".join(parts)] = path
    return modules


def _is_type_checking_block(node: ast.AST) -> bool:
    if not isinstance(node, ast.If):
        return False
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imported_names(tree: ast.AST, module: str, is_package: bool) -> set[str]:
    """Dotted names this module imports, anywhere in its body, as written (relative imports
    resolved); `from a import b` gives both `a.b` (b may be a module) and `a`."""
    names = set()
    pending = [tree]
    while pending:
        node = pending.pop()
        if _is_type_checking_block(node):
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = module.split(".")
                # A package's own name is its __init__: one level up is the package itself.
                base = base[: len(base) - node.level + (1 if is_package else 0)]
                target = ".".join([*base, node.module] if node.module else base)
            else:
                target = node.module
            names.add(target)
            names.update(f"{target}.{alias.name}" for alias in node.names)
        pending.extend(ast.iter_child_nodes(node))
    return names


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    """The project module that an imported dotted name lands in, or None outside the project."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    graph = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        is_package = path.name == "__init__.py"
        targets = {_resolve(name, modules) for name in _imported_names(tree, module, is_package)}
        graph[module] = {t for t in targets if t is not None and t != module}
    return graph


def find_cycles(graph: dict[str, set[str]]) -> list[tuple[list[str], list[str]]]:
    """For each strongly connected component of more than one module (Tarjan): one cycle in it,
    and all its modules."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for successor in sorted(graph[node]):
            if successor not in index:
                visit(successor)
                low[node] = min(low[node], low[successor])
            elif successor in on_stack:
                low[node] = min(low[node], index[successor])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(set(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return [(_a_cycle_within(c, graph), sorted(c)) for c in components]


def _a_cycle_within(component: set[str], graph: dict[str, set[str]]) -> list[str]:
    """A shortest path from the component's first module back to itself, for the message."""
    start = min(component)
    paths = {start: [start]}
    frontier = [start]
    while frontier:
        following = []
        for node in frontier:
            for successor in sorted(graph[node] & component):
                if successor == start:
                    return [*paths[node], start]
                if successor not in paths:
                    paths[successor] = [*paths[node], successor]
                    following.append(successor)
        frontier = following
    raise AssertionError("a strongly connected component always holds a cycle")


def test_it_reads_imports_inside_functions_and_relative_imports():
    source = (
        "from . import widgets\n"
        "from .cases import CaseAdmin\n"
        "def view():\n"
        "    from cases.models import Case\n"
        "    import orgs.audit\n"
        "if TYPE_CHECKING:\n"
        "    from cases.staff import pdf\n"
    )
    names = _imported_names(ast.parse(source), "cases.admin", is_package=True)
    assert {"cases.admin.widgets", "cases.admin.cases", "cases.models", "orgs.audit"} <= names
    assert not any(name.startswith("cases.staff") for name in names)
    graph = import_graph()
    assert "cases.admin.cases" in graph["cases.admin"]


def test_no_import_cycle_among_project_modules():
    cycles = find_cycles(import_graph())
    assert not cycles, "import cycles:\n" + "\n".join(
        f"{' -> '.join(cycle)}  (all tied together: {', '.join(members)})"
        for cycle, members in cycles
    )


def test_orgs_never_imports_cases():
    graph = import_graph()
    offenders = {
        f"{module} -> {target}"
        for module, targets in graph.items()
        if module.split(".")[0] == "orgs"
        for target in targets
        if target.split(".")[0] == "cases"
    }
    assert not offenders, sorted(offenders)
