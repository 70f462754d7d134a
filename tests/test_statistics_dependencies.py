"""The statistics app depends on the case files and the foundation only:
policy_monitor depends on it (assessments cite datasets), never the reverse,
not even through an import inside a function."""

import ast
from pathlib import Path

import policy_monitor.statistics

APP = Path(policy_monitor.statistics.__file__).parent


def _imported_modules(source: str) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            # "from a.b import c": the module a.b.c, or the name c in a.b
            modules.update(f"{node.module}.{alias.name}" for alias in node.names)
    return modules


def test_statistics_never_imports_policy_monitor():
    offending = {}
    for path in sorted(APP.rglob("*.py")):
        for module in _imported_modules(path.read_text()):
            outside = module == "policy_monitor" or module.startswith("policy_monitor.")
            if outside and not module.startswith("policy_monitor.statistics."):
                offending.setdefault(str(path.relative_to(APP)), []).append(module)
    assert offending == {}


def test_statistics_reads_the_case_files():
    # Counting in SQL reads them (sql_units.py builds the units' queries).
    units = (APP / "sql_units.py").read_text()
    assert "counselling.models.Consent" in _imported_modules(units)
