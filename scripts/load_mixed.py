"""A mixed read/write load against a live server: reads and writes at once, counting every server error.

    python scripts/load_mixed.py [--seconds 120] [--connections 8] [--writes 0.15] [--json PATH]

Prepares (once) a demo data dir the way scripts/bench_api.py does, starts ``matcher serve`` and drives it over
loopback for ``--seconds`` with ``--connections`` concurrent clients, each request a write with probability
``--writes``: new talents, edits of them, outcome events and deletes, beside recommendations, candidates, lists and
unsaved profiles. Prints requests by operation and status, latency p50/p99 and the count of 5xx answers (the
target is none), and writes them as JSON.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import sys
import time
import uuid
from collections import Counter
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).parent))
from bench_api import (  # noqa: E402 - the sibling script's set-up, reused as it is
    HOST,
    admin_key,
    matcher_env,
    prepare,
    sample_ids,
    start_server,
    stop_server,
)

log = logging.getLogger("load_mixed")
V1 = "/api/v1"
SKILLS = ("氩弧焊、二保焊", "PLC编程、电气设计", "数控编程、车床操作", "护理、静脉输液", "会计核算、纳税申报")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--writes", type=float, default=0.15, help="share of requests that write (0..1)")
    parser.add_argument("--talents", type=int, default=3000)
    parser.add_argument("--jobs", type=int, default=243)
    parser.add_argument("--workers", type=int, default=2, help="server worker processes")
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--base-dir", type=Path, default=Path("bench-results/load-mixed"))
    parser.add_argument("--model", type=Path, default=None, help="embedding model dir (default: the data dir's)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--json", type=Path, default=None)
    return parser.parse_args(argv)


class MixedLoad:
    """One run's clients, ids and tallies."""

    def __init__(self, talents: list[str], jobs: list[str], write_share: float, seed: int) -> None:
        self.talents, self.jobs, self.write_share = talents, jobs, write_share
        self.created: list[str] = []
        self.statuses: Counter[tuple[str, int]] = Counter()
        self.latencies: list[float] = []
        self.random = random.Random(seed)

    def request(self) -> tuple[str, str, str, dict | None]:
        """(operation, method, path, json body) of the next request."""
        pick = self.random
        if pick.random() < self.write_share:
            return self._write()
        kind = pick.choice(("recommend", "candidates", "list", "profile"))
        if kind == "recommend":
            return kind, "GET", f"{V1}/talents/{pick.choice(self.talents)}/recommendations?top=10", None
        if kind == "candidates":
            return kind, "GET", f"{V1}/jobs/{pick.choice(self.jobs)}/candidates?top=10", None
        if kind == "list":
            return kind, "GET", f"{V1}/talents?limit=20&offset={pick.randrange(0, 500)}", None
        return kind, "POST", f"{V1}/match/profile?top=5", {"current_title": "焊工", "skills": pick.choice(SKILLS),
                                                           "hometown": "周口市商水县"}

    def _write(self) -> tuple[str, str, str, dict | None]:
        pick = self.random
        kind = pick.choice(("create", "edit", "event", "delete")) if self.created else "create"
        if kind == "create":
            talent_id = f"LM{uuid.uuid4().hex[:10]}"
            self.created.append(talent_id)
            return kind, "POST", f"{V1}/talents", {"talent_id": talent_id, "name": "压测人员", "current_title": "焊工",
                                                   "skills": pick.choice(SKILLS), "hometown": "河南省周口市"}
        talent_id = pick.choice(self.created)
        if kind == "edit":
            return kind, "PATCH", f"{V1}/talents/{talent_id}", {"skills": pick.choice(SKILLS)}
        if kind == "event":
            event = {"talent_id": pick.choice(self.talents), "job_id": pick.choice(self.jobs), "kind": "viewed"}
            return kind, "POST", f"{V1}/events", event
        self.created.remove(talent_id)
        return kind, "DELETE", f"{V1}/talents/{talent_id}", None

    async def client(self, base_url: str, key: str, until: float) -> None:
        async with httpx.AsyncClient(base_url=base_url, headers={"X-API-Key": key}, timeout=60) as http:
            while time.monotonic() < until:
                operation, method, path, body = self.request()
                started = time.perf_counter()
                try:
                    response = await http.request(method, path, json=body)
                    status = response.status_code
                except httpx.TransportError:
                    status = 599  # the connection failed: counted as a server error
                self.latencies.append(time.perf_counter() - started)
                self.statuses[(operation, status)] += 1

    def summary(self, seconds: float) -> dict[str, object]:
        total = sum(self.statuses.values())
        ordered = sorted(self.latencies)
        errors = sum(n for (_, status), n in self.statuses.items() if status >= 500)
        return {"requests": total, "seconds": round(seconds, 1), "requests_per_second": round(total / seconds, 1),
                "server_errors": errors,
                "p50_ms": round(1000 * ordered[len(ordered) // 2], 1) if ordered else None,
                "p99_ms": round(1000 * ordered[int(len(ordered) * 0.99)], 1) if ordered else None,
                "by_operation": {f"{op} {status}": n for (op, status), n in sorted(self.statuses.items())}}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    data_dir = args.base_dir / f"t{args.talents}-j{args.jobs}"
    data_dir.mkdir(parents=True, exist_ok=True)
    env = matcher_env(data_dir.resolve(), args.model)
    prepare(data_dir, args.talents, args.jobs, args.seed, env)
    key = admin_key(env)
    load = MixedLoad(sample_ids(data_dir, "talents", "talent_id", 2000, args.seed),
                     sample_ids(data_dir, "jobs", "job_id", args.jobs, args.seed), args.writes, args.seed)
    server = start_server(args.port, env, 600, key, args.workers)
    try:
        started = time.monotonic()
        until = started + args.seconds
        base_url = f"http://{HOST}:{args.port}"

        async def run() -> None:
            await asyncio.gather(*(load.client(base_url, key, until) for _ in range(args.connections)))

        asyncio.run(run())
        result = {**load.summary(time.monotonic() - started), "connections": args.connections,
                  "write_share": args.writes, "talents": args.talents, "jobs": args.jobs, "workers": args.workers,
                  "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}
    finally:
        stop_server(server)
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.json:
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    return 0 if result["server_errors"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
