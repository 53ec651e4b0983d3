"""Every third-party import in src/openasc is declared where the module's users get it.

A plain `pip install openasc` must run the command line and `openasc demo --no-pdf`, so a
module may import only the core dependencies, plus the extra of its layer: the dashboard
(`openasc/web/`) the `web` extra, the PDF writer (`reports/pdf.py`) the `pdf` extra. An
import nobody declared works on the developer's machine (the dev extra installs everything)
and breaks on a council's. The lock (constraints.txt) must pin every declared distribution
at a version its range allows.
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "openasc"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

# The extra each layer may use on top of the core (paths relative to src/openasc).
LAYER_EXTRAS = {"web/": "web", "reports/pdf.py": "pdf", "check/readers/pdf.py": "check",
                "check/readers/docx.py": "check", "metrics/spark_engine.py": "spark"}


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared(requirements: list[str]) -> dict[str, Requirement]:
    return {canonical(r.name): r for r in map(Requirement, requirements)
            if canonical(r.name) != "openasc"}


CORE = declared(PYPROJECT["project"]["dependencies"])
EXTRAS = {name: declared(reqs) for name, reqs in
          PYPROJECT["project"]["optional-dependencies"].items()}


def third_party_imports(path: Path) -> set[str]:
    """Top-level names of the absolute imports in a module, standard library left out."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n not in
            ("openasc", "__future__")}


def allowed_for(module: Path) -> tuple[str | None, set[str]]:
    rel = module.relative_to(SRC).as_posix()
    extra = next((e for prefix, e in LAYER_EXTRAS.items() if rel.startswith(prefix)), None)
    return extra, set(CORE) | (set(EXTRAS[extra]) if extra else set())


def test_every_third_party_import_is_declared_for_its_layer() -> None:
    owners = packages_distributions()
    problems = []
    for module in sorted(SRC.rglob("*.py")):
        extra, allowed = allowed_for(module)
        for name in sorted(third_party_imports(module)):
            dists = {canonical(d) for d in owners.get(name, [])}
            if not dists:
                problems.append(f"{module.relative_to(ROOT)}: imports {name}, which no "
                                "installed distribution provides")
            elif not dists & allowed:
                where = f"the core or the {extra} extra" if extra else "the core dependencies"
                problems.append(f"{module.relative_to(ROOT)}: imports {name} "
                                f"({', '.join(sorted(dists))}), not declared in {where}")
    assert not problems, "\n".join(problems)


def test_the_check_sees_an_undeclared_import(tmp_path: Path) -> None:
    """The walker finds imports at any depth (lazy ones in functions too), not stdlib."""
    mod = tmp_path / "m.py"
    mod.write_text("import os\nfrom __future__ import annotations\nfrom openasc import x\n"
                   "def f():\n    import pandas as pd\n    from weasyprint import HTML\n",
                   encoding="utf-8")
    assert third_party_imports(mod) == {"pandas", "weasyprint"}
    assert "pandas" not in allowed_for(SRC / "demo.py")[1]
    assert allowed_for(SRC / "reports" / "pdf.py") == ("pdf", set(CORE) | set(EXTRAS["pdf"]))


def test_the_core_is_what_a_plain_install_needs() -> None:
    """Test tools, the PDF renderer, the dashboard, drivers and Spark are extras, never
    core."""
    for name in ("pandas", "httpx", "psycopg", "weasyprint", "fastapi", "pytest", "pyspark"):
        assert name not in CORE, name
    assert {"pdf", "web", "postgres", "spark", "dev"} <= set(EXTRAS)
    dev = Requirement(next(r for r in PYPROJECT["project"]["optional-dependencies"]["dev"]
                           if r.startswith("openasc")))
    assert dev.extras == {"pdf", "web", "postgres", "check", "spark"}


def test_core_dependencies_are_ranges_not_pins() -> None:
    """Exact versions live in constraints.txt; pyproject says what is allowed."""
    pinned = [str(r) for r in CORE.values() if any(s.operator == "==" for s in r.specifier)]
    assert not pinned


def test_the_lock_pins_every_declared_distribution_within_its_range() -> None:
    lock = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, version = line.partition("==")
            lock[canonical(name)] = version.strip()
    problems = []
    for group in [CORE, *EXTRAS.values()]:
        for name, req in group.items():
            if name not in lock:
                problems.append(f"{name} is not in constraints.txt")
            elif not req.specifier.contains(lock[name], prereleases=True):
                problems.append(f"constraints.txt has {name}=={lock[name]}, outside {req}")
    assert not problems, "\n".join(problems)


def test_the_web_extra_is_what_serve_checks_for() -> None:
    """`openasc serve` names the web extra when one of its modules is missing."""
    from openasc.cli import EXTRA_MODULES

    owners = packages_distributions()
    dists = {canonical(d) for m in EXTRA_MODULES["web"] for d in owners.get(m, [])}
    assert dists == set(EXTRAS["web"])


def test_every_data_file_is_in_the_package() -> None:
    """A file the code reads at run time (SQL, YAML, templates) must reach a wheel: setuptools
    ships only what [tool.setuptools.package-data] names (globbed as here)."""
    globs = PYPROJECT["tool"]["setuptools"]["package-data"]["openasc"]
    shipped = {p for g in globs for p in SRC.glob(g) if p.is_file()}
    data = {p for p in SRC.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")
            and "__pycache__" not in p.parts}
    assert sorted(p.relative_to(SRC).as_posix() for p in data - shipped) == []
