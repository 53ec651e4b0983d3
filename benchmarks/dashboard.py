"""Dashboard under load: 50 signed-in viewers for 60 s over the overview and measure pages.

The server (`openasc serve`) runs in a subprocess on 127.0.0.1 only; the load comes from an
httpx async client in this process. Each virtual viewer signs in once, then requests pages
back to back (no think time), cycling through the overview and measure pages. Reports p50
and p95 latency and requests per second under load (warm: the pages' charts are drawn once
per warehouse generation and then served from the cache); target p95 <= 300 ms on the
2-core machine. Before the load, each page is timed cold - the first request after the
server starts, chart drawing included - on `--cold-runs` fresh servers (median per page).
Any request that is not 200, or fails, is an error: the run reports them and exits 1.

    python benchmarks/dashboard.py                 # demo warehouse (made if absent), 60 s
    python benchmarks/dashboard.py --duration 10   # a quick run
    python benchmarks/dashboard.py --warehouse W.duckdb
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from _harness import write_result  # noqa: E402

PAGES = ["/", "/measures/ASCOF/2A", "/measures/ASCOF/2A?by=age_band", "/measures/SALT/STS001",
         "/safeguarding", "/measures?family=ASCOF"]
PASSWORD = "bench-viewer-password"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare(work: Path, warehouse: Path | None, people: int) -> Path:
    if warehouse is None:
        subprocess.run([sys.executable, "-m", "openasc.cli", "demo", "--out", str(work / "demo"),
                        "--people", str(people)], check=True, stdout=subprocess.DEVNULL)
        warehouse = work / "demo" / "openasc.duckdb"
    return warehouse.resolve()  # the server runs in the work folder: a relative path breaks


async def sign_in(client: httpx.AsyncClient, name: str) -> dict[str, str]:
    # Secure cookies are not sent by httpx over http, so both cookies are carried by hand.
    page = await client.get("/login")
    token = re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)
    nonce = page.cookies.get("openasc_login")
    r = await client.post("/login", data={"login_token": token, "username": name,
                                          "password": PASSWORD, "next": "/"},
                          headers={"Cookie": f"openasc_login={nonce}"})
    if r.status_code != 303:
        raise SystemExit(f"sign-in failed for {name}: {r.status_code}")
    session = r.cookies.get("openasc_session")
    return {"Cookie": f"openasc_session={session}"}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--duration", type=float, default=60.0, help="seconds of load (default 60)")
    ap.add_argument("--users", type=int, default=50, help="concurrent viewers (default 50)")
    ap.add_argument("--warehouse", type=Path, help="existing warehouse (default: a demo one)")
    ap.add_argument("--people", type=int, default=2000, help="people in the demo council")
    ap.add_argument("--cold-runs", type=int, default=3,
                    help="fresh servers on which each page's first request is timed (default 3)")
    args = ap.parse_args()
    sys.exit(asyncio.run(bench(args)))


def start_server(warehouse: Path, work: Path, env: dict[str, str]
                 ) -> tuple[subprocess.Popen, str]:
    port = free_port()
    server = subprocess.Popen([sys.executable, "-m", "openasc.cli", "--warehouse",
                               str(warehouse), "serve", "--host", "127.0.0.1", "--port",
                               str(port)], cwd=work, env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            httpx.get(base + "/login", timeout=1)
            break
        except httpx.HTTPError:
            time.sleep(0.1)
    return server, base


async def cold_pages(base: str, errors: list[str]) -> dict[str, float]:
    """Each page's first request on a fresh server, in turn (seconds)."""
    out = {}
    async with httpx.AsyncClient(base_url=base, timeout=120) as c:
        h = await sign_in(c, "viewer0")
        for p in PAGES:
            t = time.perf_counter()
            r = await c.get(p, headers=h)
            out[p] = time.perf_counter() - t
            if r.status_code != 200:
                errors.append(f"cold {p}: HTTP {r.status_code}")
    return out


async def bench(args: argparse.Namespace) -> int:
    with tempfile.TemporaryDirectory(prefix="openasc-dash-bench-") as tmp:
        work = Path(tmp)
        os.environ.setdefault("OPENASC_KEY_FILE", str(work / "key" / "key"))
        warehouse = prepare(work, args.warehouse, args.people)
        users_url = f"sqlite:///{work / 'users.sqlite'}"
        env = {**os.environ, "OPENASC_USERS_DB": users_url}
        from openasc.web.db import make_engine, session_factory
        from openasc.web.users import add_user

        factory = session_factory(make_engine(users_url))
        for n in range(args.users):
            add_user(factory, f"viewer{n}", "viewer", PASSWORD, by="benchmark")
        errors: list[str] = []
        colds: list[dict[str, float]] = []
        for _ in range(max(args.cold_runs, 1)):
            server, base = start_server(warehouse, work, env)
            try:
                colds.append(await cold_pages(base, errors))
            finally:
                server.terminate()
                server.wait(timeout=30)
        # A fresh server for the load, its cache warmed by one pass over the pages.
        server, base = start_server(warehouse, work, env)
        try:
            await cold_pages(base, errors)
            latencies: list[float] = []
            start = asyncio.Event()
            deadline = [0.0]
            ready: list[int] = []

            async def one(n: int) -> None:
                async with httpx.AsyncClient(base_url=base, timeout=30) as client:
                    headers = await sign_in(client, f"viewer{n}")
                    ready.append(n)
                    await start.wait()
                    i = n
                    while time.perf_counter() < deadline[0]:
                        page = PAGES[i % len(PAGES)]
                        t = time.perf_counter()
                        try:
                            r = await client.get(page, headers=headers)
                            if r.status_code != 200:
                                errors.append(f"{page}: HTTP {r.status_code}")
                        except httpx.HTTPError as exc:
                            errors.append(f"{page}: {type(exc).__name__}")
                        latencies.append(time.perf_counter() - t)
                        i += 1

            tasks = [asyncio.create_task(one(n)) for n in range(args.users)]
            # Every viewer signs in first (argon2 is slow on purpose); then the clock starts.
            while len(ready) < args.users:
                if any(t.done() and t.exception() for t in tasks):
                    await asyncio.gather(*tasks)
                await asyncio.sleep(0.2)
            deadline[0] = time.perf_counter() + args.duration
            began = time.perf_counter()
            start.set()
            await asyncio.gather(*tasks)
            elapsed = time.perf_counter() - began
        finally:
            server.terminate()
            server.wait(timeout=30)
    lat = sorted(latencies)
    q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else [lat[0]] * 99
    cold_ms = {p: round(statistics.median(c[p] for c in colds) * 1000, 1) for p in PAGES}
    result = {
        "users": args.users, "duration_s": round(elapsed, 1), "requests": len(lat),
        "errors": len(errors), "error_examples": sorted(set(errors))[:10],
        "requests_per_s": round(len(lat) / elapsed, 1),
        "warm_p50_ms": round(q[49] * 1000, 1), "warm_p95_ms": round(q[94] * 1000, 1),
        "cold_first_request_ms": cold_ms, "cold_runs": len(colds),
        "target_p95_ms": 300, "meets_target": q[94] * 1000 <= 300 and not errors,
        "pages": PAGES, "warehouse": str(args.warehouse or f"demo, {args.people} people"),
    }
    write_result("dashboard", result)
    if errors:
        print(f"{len(errors)} requests failed, e.g. {errors[0]}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    main()
