"""Every package our code imports is declared in pyproject.toml itself, not left to another
package's extra (reflex[db] once brought sqlmodel and alembic in for us)."""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions

from tests.conftest import ROOT

OURS = {"dreamsuite", "workers", "tests", "benchmarks", "alembic_env"}


def _imported_top_level(folders: list[str]) -> set[str]:
    names: set[str] = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(), str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names.update(a.name.split(".")[0] for a in node.names)
                elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                    names.add(node.module.split(".")[0])
    return names - set(sys.stdlib_module_names) - OURS - {"__future__"}


def _declared(group: str | None) -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    specs = project["project"]["dependencies"] if group is None else project["dependency-groups"][group]
    return {re.split(r"[\[<>=!~; ]", s, maxsplit=1)[0].lower().replace("_", "-") for s in specs}


def _distributions(module: str) -> set[str]:
    return {d.lower().replace("_", "-") for d in packages_distributions().get(module, [])}


def test_the_app_declares_what_it_imports():
    declared = _declared(None)
    missing = {m: _distributions(m) for m in _imported_top_level(["dreamsuite", "workers", "alembic"])
               if not _distributions(m) & declared}
    assert missing == {}


def test_the_tests_declare_what_they_import():
    declared = _declared(None) | _declared("dev")
    missing = {m: _distributions(m) for m in _imported_top_level(["tests", "benchmarks"])
               if not _distributions(m) & declared}
    assert missing == {}
