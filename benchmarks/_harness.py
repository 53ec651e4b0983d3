"""Shared benchmark plumbing: time a command as a child process, with its peak memory.

Each benchmark measures its own baseline in the same run, so the ratio holds when the
machine's speed drifts; results go to `benchmarks/results/<name>.json`.
"""

from __future__ import annotations

import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, NoReturn

RESULTS = Path(__file__).parent / "results"


def run_timed(cmd: list[str], env: dict[str, str] | None = None) -> dict[str, float]:
    """Wall seconds, peak resident memory (MB) and CPU seconds (user + system, which a
    machine shared with other work inflates less than wall time) of one child process."""
    code = (
        "import resource, subprocess, sys, time, json\n"
        "t = time.perf_counter()\n"
        "try:\n"
        "    rc = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode\n"
        "except FileNotFoundError as e:\n"
        "    print(f'{e.filename}: no such command; activate the virtual environment that "
        "scripts/setup.sh made (source .venv/bin/activate)', file=sys.stderr)\n"
        "    rc = 127\n"
        "w = time.perf_counter() - t\n"
        "u = resource.getrusage(resource.RUSAGE_CHILDREN)\n"
        "print(json.dumps({'seconds': w, 'peak_mb': u.ru_maxrss / 1024, 'rc': rc,\n"
        "                  'cpu_seconds': u.ru_utime + u.ru_stime}))\n"
    )
    out = subprocess.run([sys.executable, "-c", code, *cmd], capture_output=True, text=True,
                         env=env)
    if out.returncode != 0 or not out.stdout.strip():  # the timing wrapper itself failed
        failed(cmd, out.returncode, out.stderr)
    result = json.loads(out.stdout.strip().splitlines()[-1])
    if result["rc"] != 0:
        failed(cmd, result["rc"], out.stderr)
    return result


def failed(cmd: list[str], rc: int, stderr: str) -> NoReturn:
    """Stop the benchmark with what the command said on stderr, not just its exit code."""
    said = "\n".join(stderr.strip().splitlines()[-5:])
    shown = " ".join(cmd) if len(cmd) < 12 else " ".join([*cmd[:8], "..."])
    raise SystemExit(f"benchmark command failed ({rc}): {shown}\n{said}")


def write_result(name: str, payload: dict[str, Any]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    payload = {
        "benchmark": name,
        "when": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        **payload,
    }
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2) + "\n")
    print(json.dumps(payload, indent=2))
    return path


def peak_rss_self_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
