"""Fixtures for the scenario tests.

`ascof_batch` runs an ASCOF module's cases as one batch through the real command line (see
ascof_harness.py); an ASCOF module opts in with
`pytestmark = pytest.mark.usefixtures("ascof_batch")`.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator

import pytest
from ascof_harness import _STATE, _Recorded, run_councils


@pytest.fixture(scope="module")
def ascof_batch(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
                ) -> Iterator[None]:
    """Collect the module's cases (each test run up to its `scenario` call), run them in one
    batch, and let each test then read its own council's figures."""
    items = [i for i in request.session.items if i.module is request.module]
    _STATE["cases"] = {}
    for item in items:
        _STATE["recording"] = item.nodeid
        kwargs = dict(item.callspec.params) if hasattr(item, "callspec") else {}
        if "tmp_path" in inspect.signature(item.obj).parameters:
            kwargs["tmp_path"] = tmp_path_factory.mktemp("unused")
        try:
            item.obj(**kwargs)
        except _Recorded:
            pass
        finally:
            _STATE["recording"] = False
    if _STATE["cases"]:
        results = run_councils(tmp_path_factory.mktemp("batch"), _STATE["cases"])
        _STATE["results"].update(results)
    yield
