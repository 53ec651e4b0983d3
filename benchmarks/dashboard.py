"""Dashboard under load: 50 signed-in viewers for 60 s over the overview and measure pages.

The server (`openasc serve`) runs in a subprocess on 127.0.0.1 only; the load comes from an
httpx async client in this process. Each virtual viewer signs in once, then requests pages
back to back (no think time), cycling through the overview and measure pages. Reports p50
and p95 latency and requests per second; target p95 <= 300 ms on the 2-core machine.

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
    args = ap.parse_args()
    asyncio.run(bench(args))


async def bench(args: argparse.Namespace) -> None:
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
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen([sys.executable, "-m", "openasc.cli", "--warehouse",
                                   str(warehouse), "serve", "--host", "127.0.0.1", "--port",
                                   str(port)], cwd=work, env=env, stdout=subprocess.DEVNULL)
        try:
            for _ in range(300):
                try:
                    httpx.get(base + "/login", timeout=1)
                    break
                except httpx.HTTPError:
                    await asyncio.sleep(0.1)
            # Warm the page cache (charts are drawn once per warehouse generation).
            async with httpx.AsyncClient(base_url=base, timeout=60) as c:
                h = await sign_in(c, "viewer0")
                for p in PAGES:
                    await c.get(p, headers=h)
            latencies: list[float] = []
            errors: list[int] = []
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
                        t = time.perf_counter()
                        r = await client.get(PAGES[i % len(PAGES)], headers=headers)
                        latencies.append(time.perf_counter() - t)
                        if r.status_code != 200:
                            errors.append(r.status_code)
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
    result = {
        "users": args.users, "duration_s": round(elapsed, 1), "requests": len(lat),
        "errors": len(errors), "requests_per_s": round(len(lat) / elapsed, 1),
        "p50_ms": round(q[49] * 1000, 1), "p95_ms": round(q[94] * 1000, 1),
        "target_p95_ms": 300, "meets_target": q[94] * 1000 <= 300,
        "pages": PAGES, "warehouse": str(args.warehouse or f"demo, {args.people} people"),
    }
    write_result("dashboard", result)


if __name__ == "__main__":
    main()
