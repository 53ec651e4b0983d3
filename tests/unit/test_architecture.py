"""The package's shape: layers that import only downwards, and no import cycles.

The layers (core → ingest → metrics → compare → publish → command line) are declared in
pyproject.toml for import-linter; this test runs the same contracts, so a broken layer fails
the suite and not only the lint step, and it adds what import-linter does not check: a cycle
between two modules of one package (e.g. two report modules that import each other), which
makes a module's behaviour depend on which one was imported first.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parents[2]


def _cycles(graph: grimp.ImportGraph) -> list[tuple[str, str]]:
    """Every direct import a → b such that b also reaches a: each edge that closes a cycle."""
    return sorted(
        (importer, imported)
        for importer in graph.modules
        for imported in graph.find_modules_directly_imported_by(importer)
        if graph.chain_exists(importer=imported, imported=importer)
    )


def test_a_made_up_cycle_is_found() -> None:
    """The detector itself: a → b → c → a is reported, a → d is not."""
    graph = grimp.ImportGraph()
    for a, b in [("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a"), ("p.a", "p.d")]:
        graph.add_import(importer=a, imported=b)
    assert _cycles(graph) == [("p.a", "p.b"), ("p.b", "p.c"), ("p.c", "p.a")]


def test_no_module_imports_itself_through_others() -> None:
    graph = grimp.build_graph("openasc")
    assert len(graph.modules) > 50, "the import graph was not built from the package"
    assert _cycles(graph) == []


def test_import_linter_contracts_are_kept() -> None:
    """`lint-imports` reads the contracts from pyproject.toml and exits non-zero if one is
    broken; the layer list there is the architecture's single statement."""
    result = subprocess.run(
        [sys.executable, "-c", "import sys; from importlinter.cli import lint_imports_command;"
         " sys.exit(lint_imports_command())"],
        cwd=ROOT, capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout
