"""Benchmark: the team server's dashboard and lists on 100,000 no's in PostgreSQL,
under 50 concurrent clients on loopback.

Seeds a fresh catalog (a synthetic CRM export through the normal import, main
reasons from the picklist), adds a manager and a seller, starts ``whyno serve``
(uvicorn) as a child process, signs every client in, and drives GET /
(dashboard page), GET /nos (list page) and GET /api/nos (list API) in a closed
loop: each client sends its next request as soon as the previous answer is in.
Half the clients are the manager (the team's view), half the seller (their own).
Prints p50/p95/p99 latency and requests/s per endpoint and overall.

    .venv/bin/python -m bench.web_load \
        --db postgresql://whyno:whyno@127.0.0.1:5432/whyno_web_bench \
        --nos 100000 --clients 50 --seconds 30 --workers 2

The load generator is a minimal asyncio HTTP/1.1 client with keep-alive (one
connection per client), on uvloop, so that it takes as little of the machine's
CPU as possible from the server it measures (they share the cores). The
database named by --db is emptied.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import json
import os
import random
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

OUT = Path(__file__).parent / "out"
ROOT = Path(__file__).parent.parent
PASSWORD = "bench password 123"
REASONS = [
    ("Price", "their budget was half our quote"),
    ("Competitor", "went with a cheaper vendor"),
    ("Timing", "revisit after the migration"),
    ("No Budget", "budget frozen until next year"),
    ("Missing Feature", "no offline mode for the techs"),
    ("Not a Fit", "three-person shop, too small for us"),
    ("", ""),
]
ENDPOINTS = ("/", "/nos", "/api/nos?limit=50")


def generate(path: Path, nos: int, seed: int = 7) -> None:
    """A CRM export with ``nos`` lost deals (and a quarter as many won) over 24 months."""
    rng = random.Random(seed)
    today = dt.date.today()
    sellers = [f"Seller {i}" for i in range(20)]
    total = nos + nos // 4
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                "Id",
                "Stage",
                "Amount",
                "Close Date",
                "Loss Reason",
                "Loss Notes",
                "Industry",
                "Owner",
            ]
        )
        lost = 0
        for i in range(total):
            won = lost >= nos or (i % 5 == 4)
            lost += not won
            reason, notes = ("", "") if won else rng.choice(REASONS)
            day = today - dt.timedelta(days=rng.randint(0, 730))
            writer.writerow(
                [
                    f"b-{i}",
                    "Closed Won" if won else "Closed Lost",
                    rng.randint(1, 90) * 500,
                    day.isoformat(),
                    reason,
                    f"{notes}, case {i}" if notes else "",
                    rng.choice(["Retail", "Health", "Logistics", "Energy"]),
                    rng.choice(sellers),
                ]
            )


def seed(url: str, nos: int) -> dict[str, Any]:
    from sqlalchemy import case, create_engine, text, update

    from whyno.accounts.users import add_user
    from whyno.config import database_url_from
    from whyno.ingest.crm import import_crm_csv
    from whyno.reasons.picklist import picklist_category
    from whyno.store import Store
    from whyno.store.models import No

    url = database_url_from(url)
    if "bench" not in url.rsplit("/", 1)[-1]:
        sys.exit("refusing to empty a database whose name does not say 'bench'")
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    OUT.mkdir(exist_ok=True)
    path = OUT / "web_load_deals.csv"
    generate(path, nos)
    started = time.perf_counter()
    with Store.open(url) as store:
        result = import_crm_csv(store, path)
        mapping = {r: picklist_category(r) for r, _ in REASONS if r}
        with store.engine.begin() as connection:
            connection.execute(
                update(No).values(
                    main_category=case(
                        *((No.crm_reason == r, c) for r, c in mapping.items() if c), else_=None
                    )
                )
            )
        add_user(store, "manager", PASSWORD, role="manager")
        add_user(store, "seller", PASSWORD, role="seller", seller="Seller 3")
        # as a server that has been up a while: no dead rows left by the seeding
        with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
            c.exec_driver_sql("VACUUM (ANALYZE)")
    return {"nos": result.nos, "deals": result.imported, "seed_s": time.perf_counter() - started}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(url: str, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, WHYNO_SECRET_KEY=secrets.token_urlsafe(32), WHYNO_HOME=str(OUT))
    command = [
        str(Path(sys.executable).parent / "whyno"),
        "--db",
        url,
        "serve",
        "--port",
        str(port),
        "--workers",
        str(workers),
    ]
    return subprocess.Popen(command, env=env, cwd=ROOT)


class Connection:
    """One keep-alive HTTP/1.1 connection: just enough client for GET and a JSON POST."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookie = ""

    async def open(self) -> None:
        self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)

    async def send(self, method: str, path: str, body: bytes = b"") -> tuple[int, dict[str, str]]:
        """One request; reconnects once if the server closed the idle connection."""
        try:
            return await self._send(method, path, body)
        except (ConnectionError, IndexError, asyncio.IncompleteReadError):
            self.writer.close()
            await self.open()
            return await self._send(method, path, body)

    async def _send(self, method: str, path: str, body: bytes) -> tuple[int, dict[str, str]]:
        lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1"]
        if self.cookie:
            lines.append(f"Cookie: {self.cookie}")
        if body:
            lines += ["Content-Type: application/json", f"Content-Length: {len(body)}"]
        self.writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        await self.writer.drain()
        status = int((await self.reader.readline()).split()[1])
        headers: dict[str, str] = {}
        while (line := await self.reader.readline()) not in (b"\r\n", b""):
            key, _, value = line.decode("latin-1").partition(":")
            headers[key.strip().lower()] = value.strip()
        if "content-length" in headers:
            await self.reader.readexactly(int(headers["content-length"]))
        elif headers.get("transfer-encoding") == "chunked":
            while size := int((await self.reader.readline()).strip(), 16):
                await self.reader.readexactly(size + 2)
            await self.reader.readline()
        return status, headers

    async def login(self, username: str) -> None:
        body = json.dumps({"username": username, "password": PASSWORD}).encode()
        status, headers = await self.send("POST", "/api/login", body)
        assert status == 200, f"sign-in failed: {status}"
        self.cookie = headers["set-cookie"].split(";", 1)[0]


async def signed_in(port: int, username: str) -> Connection:
    connection = Connection(port)
    await connection.open()
    await connection.login(username)
    return connection


async def client(
    connection: Connection, offset: int, until: float, samples: dict[str, list[float]]
) -> int:
    errors = 0
    i = offset
    while time.perf_counter() < until:
        path = ENDPOINTS[i % len(ENDPOINTS)]
        i += 1
        started = time.perf_counter()
        status, _ = await connection.send("GET", path)
        samples[path].append(time.perf_counter() - started)
        errors += status != 200
    return errors


Samples = dict[str, list[float]]


async def load(port: int, clients: int, seconds: float) -> tuple[Samples, int, float]:
    """Sign every client in (not timed), warm each worker's caches, then the timed loop."""
    connections = [await signed_in(port, "manager" if n % 2 else "seller") for n in range(clients)]
    for connection in connections:  # the connections spread over the workers: warm them all
        for path in ENDPOINTS:
            await connection.send("GET", path)
    samples: Samples = {path: [] for path in ENDPOINTS}
    started = time.perf_counter()
    until = started + seconds
    errors = await asyncio.gather(
        *(client(c, n, until, samples) for n, c in enumerate(connections))
    )
    for connection in connections:
        connection.writer.close()
    return samples, sum(errors), time.perf_counter() - started


def _run(job: Any) -> Any:
    """Run the load generator on uvloop when it is there (less of the CPU it shares)."""
    try:
        import uvloop
    except ImportError:
        return asyncio.run(job)
    return uvloop.run(job)


def _percentiles(values: list[float]) -> dict[str, float]:
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {
        "p50_ms": round(cuts[49] * 1000, 1),
        "p95_ms": round(cuts[94] * 1000, 1),
        "p99_ms": round(cuts[98] * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a PostgreSQL URL (its schema is emptied)")
    parser.add_argument("--nos", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--skip-seed", action="store_true", help="reuse the seeded database")
    args = parser.parse_args()
    report: dict[str, Any] = {"args": vars(args)}
    if not args.skip_seed:
        report["seed"] = seed(args.db, args.nos)
        print(f"seeded: {report['seed']}", flush=True)
    port = _free_port()
    server = start_server(args.db, port, args.workers)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    sys.exit("the server did not start")
                time.sleep(0.3)
        samples, errors, elapsed = _run(load(port, args.clients, args.seconds))
    finally:
        server.send_signal(signal.SIGINT)
        server.wait(timeout=30)
    every = [v for values in samples.values() for v in values]
    report["endpoints"] = {
        path: {"requests": len(v), "rps": round(len(v) / elapsed, 1), **_percentiles(v)}
        for path, v in samples.items()
    }
    report["overall"] = {
        "requests": len(every),
        "rps": round(len(every) / elapsed, 1),
        "errors": errors,
        **_percentiles(every),
    }
    print(f"{'endpoint':<22}{'requests':>9}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for name, row in [*report["endpoints"].items(), ("all", report["overall"])]:
        print(
            f"{name:<22}{row['requests']:>9}{row['rps']:>8}"
            f"{row['p50_ms']:>9}{row['p95_ms']:>9}{row['p99_ms']:>9}"
        )
    print(f"errors: {errors}; {args.clients} clients for {elapsed:.1f} s")
    (OUT / "web_load.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
