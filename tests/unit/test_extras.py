"""A plain install (no extras) runs the command line and the demo; a missing extra is named.

"Not installed" is simulated in a child interpreter by an import hook that answers
ModuleNotFoundError for the distributions' modules, as a machine without them would (the
test environment has every extra installed).
"""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The modules of every distribution outside the core dependencies that src/ could reach
# (pydantic is not among them: typer needs it).
NOT_CORE = ["weasyprint", "fastapi", "starlette", "uvicorn", "sqlalchemy", "argon2",
            "itsdangerous", "python_multipart", "multipart", "psycopg", "httpx",
            "pandas", "pytest", "hypothesis", "pypdf", "playwright", "schemathesis"]
PDF_HINT = "pip install 'openasc[pdf]'"


def run_without(modules: list[str], *args: str, cwd: Path) -> subprocess.CompletedProcess:
    code = ("import sys\n"
            "class Absent:\n"
            "    def find_spec(self, name, path=None, target=None):\n"
            f"        if name.split('.')[0] in {modules!r}:\n"
            "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
            "sys.meta_path.insert(0, Absent())\n"
            "from openasc.cli import main\n"
            f"sys.argv = ['openasc', *{list(args)!r}]\n"
            "main()\n")
    return subprocess.run([sys.executable, "-c", code], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


def test_version_is_the_one_in_pyproject(tmp_path: Path) -> None:
    want = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    res = subprocess.run([sys.executable, "-m", "openasc.cli", "--version"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert res.stdout == f"openasc {want['project']['version']}\n"


def test_serve_without_the_web_extra_names_it(tmp_path: Path) -> None:
    res = run_without(["fastapi"], "serve", cwd=tmp_path)
    assert res.returncode == 1, res.stderr
    assert "pip install 'openasc[web]'" in res.stderr
    assert "fastapi" in res.stderr and "Traceback" not in res.stderr


def test_users_add_without_the_web_extra_names_it(tmp_path: Path) -> None:
    res = run_without(["argon2"], "users", "add", "alice", cwd=tmp_path)
    assert res.returncode == 1, res.stderr
    assert "pip install 'openasc[web]'" in res.stderr and "argon2" in res.stderr


def test_pdf_without_weasyprint_is_a_user_error(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from openasc.errors import OpenascError
    from openasc.reports.pdf import write_pdf

    monkeypatch.setitem(sys.modules, "weasyprint", None)
    html = tmp_path / "a.html"
    html.write_text("<p>x</p>", encoding="utf-8")
    with pytest.raises(OpenascError, match=r"openasc\[pdf\]"):
        write_pdf(html, tmp_path / "a.pdf")
    assert not (tmp_path / "a.pdf").exists()


@pytest.mark.slow
def test_demo_no_pdf_runs_on_the_core_alone(tmp_path: Path) -> None:
    """No pandas, no dashboard, no PDF renderer, no test tools: the demo still runs."""
    res = run_without(NOT_CORE, "demo", "--no-pdf", "--people", "200", "--out", "d",
                      cwd=tmp_path)
    assert res.returncode == 0, res.stdout[-2000:] + res.stderr
    out = tmp_path / "d"
    assert (out / "local-account.html").stat().st_size > 0
    assert (out / "self-assessment.html").stat().st_size > 0
    assert (out / "measures.csv").exists() and (out / "inputs" / "comparators.csv").exists()
    assert not list(out.glob("*.pdf"))


@pytest.mark.slow
def test_demo_without_the_pdf_extra_writes_all_else_and_says_what_to_install(
        tmp_path: Path) -> None:
    res = run_without(["weasyprint"], "demo", "--people", "200", "--out", "d", cwd=tmp_path)
    assert res.returncode == 1, res.stdout[-2000:] + res.stderr
    assert PDF_HINT in res.stderr and "--no-pdf" in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1, res.stderr  # one sentence, no traceback
    out = tmp_path / "d"
    assert (out / "local-account.html").exists() and (out / "self-assessment.html").exists()
    assert (out / "measures-published.csv").exists()
    assert not list(out.glob("*.pdf"))
