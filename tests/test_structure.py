"""The shape of the code: no import cycle between the project's modules (imports
inside functions included), the foundation never imports a domain app, and no
source file grows past 600 lines."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("ngo", "counselling", "campaigns", "policy_monitor")
DOMAINS = ("counselling", "campaigns", "policy_monitor")
MAX_LINES = 600


def _modules() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts:
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _resolve(module: str, node: ast.ImportFrom, is_package: bool) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def import_graph() -> dict[str, set[str]]:
    """Module -> the project modules it imports, anywhere in its source."""
    modules = _modules()
    graph = {name: set() for name in modules}

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    for name, path in modules.items():
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = _resolve(name, node, path.name == "__init__.py")
                targets = [f"{base}.{alias.name}" for alias in node.names] + [base]
            for target in targets:
                found = known(target)
                # A package's __init__ is not a dependency of its own modules.
                if found and found != name and not name.startswith(found + "."):
                    graph[name].add(found)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                result.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return result


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_between_the_project_modules():
    assert cycles(import_graph()) == []


def test_the_foundation_imports_no_domain_app():
    offending = {
        module: sorted(t for t in targets if t.startswith(DOMAINS))
        for module, targets in import_graph().items()
        if module.startswith("ngo") and any(t.startswith(DOMAINS) for t in targets)
    }
    # The project's URL configuration and settings wire the apps together.
    offending.pop("ngo.urls", None)
    assert offending == {}


def test_the_shared_library_imports_no_app():
    apps = ("ngo.accounts", "ngo.audit", "ngo.directory", "ngo.reminders", *DOMAINS)
    offending = {
        module: sorted(t for t in targets if t.startswith(apps))
        for module, targets in import_graph().items()
        if module.startswith("ngo.lib") and any(t.startswith(apps) for t in targets)
    }
    assert offending == {}


def test_no_source_file_over_600_lines():
    long_files = {
        str(path.relative_to(ROOT)): lines
        for path in _modules().values()
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long_files == {}
