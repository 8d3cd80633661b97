"""Time the job-fair form: POST /fair (the phone form) to the results page, server time, p50/p95/max.

Prepares (once) a demo data directory the way ``bench_api.py`` does — ``matcher demo generate``, the imports,
``index build``, ``train`` — then builds the app in this process and posts the fair form with profiles taken
from the demo talents (what they do, 籍贯, education, certificates, expected pay, cities), each request timed
from the form's arrival to the rendered results page (in-process ASGI: no network, no browser). A fair's
results are jobs, so the job count drives the cost; the talent count only sizes the data directory.

    .venv/bin/python scripts/bench_fair.py --talents 100000 --jobs 243 --requests 300
    .venv/bin/python scripts/bench_fair.py --talents 20000 --model-path /path/to/static-zh   # a quicker look

Target: p95 <= 300 ms at 100k talents × 243 positions.
"""
from __future__ import annotations

import argparse
import json
import logging
import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd
from bench_api import matcher_env, prepare
from fastapi.testclient import TestClient
from sqlalchemy import text

from matcher.config import Settings

log = logging.getLogger("bench_fair")

TARGET_P95_MS = 300.0
FORM_FIELDS = ("summary", "hometown", "education", "certificates", "expected_salary", "intent_cities")
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--talents", type=int, default=100_000, help="demo talents (default 100000)")
    parser.add_argument("--jobs", type=int, default=243, help="demo positions (default 243)")
    parser.add_argument("--base-dir", type=Path, default=Path(tempfile.gettempdir()) / "matcher-bench",
                        help="where data directories live; reused when prepared (default <tmp>/matcher-bench)")
    parser.add_argument("--model-path", type=Path, help="an existing embedding model directory")
    parser.add_argument("--requests", type=int, default=300, help="timed form posts (default 300)")
    parser.add_argument("--warm-up", type=int, default=10, help="untimed posts first (default 10)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    return parser.parse_args(argv)


def profiles(engine, count: int, seed: int) -> list[dict[str, str]]:  # noqa: ANN001 - a SQLAlchemy Engine
    """What visitors would type: the demo talents' own raw fields, a random sample."""
    columns = ", ".join(FORM_FIELDS)
    frame = pd.read_sql(text(f"SELECT {columns} FROM talents ORDER BY random() LIMIT :n"), engine,
                        params={"n": count * 2})
    rows = frame.fillna("").astype(str).to_dict("records")
    random.Random(seed).shuffle(rows)
    return (rows * (count // max(len(rows), 1) + 1))[:count]


def bench(args: argparse.Namespace) -> dict[str, object]:
    data_dir = args.base_dir / f"talents-{args.talents}-jobs-{args.jobs}"
    data_dir.mkdir(parents=True, exist_ok=True)
    prepare(data_dir, args.talents, args.jobs, args.seed, matcher_env(data_dir, args.model_path))
    from api.app import create_app

    settings = Settings(data_dir=data_dir, model_path=args.model_path, log_level="WARNING")
    with TestClient(create_app(settings)) as client:
        engine = client.app.state.engine  # type: ignore[attr-defined]
        posts = profiles(engine, args.warm_up + args.requests, args.seed)
        token = _CSRF.search(client.get("/fair").text).group(1)  # type: ignore[union-attr]
        timings, empty = [], 0
        for number, form in enumerate(posts):
            started = time.perf_counter()
            answer = client.post("/fair", data={"csrf": token, **form})
            elapsed = (time.perf_counter() - started) * 1000
            if answer.status_code not in (200, 422):
                raise SystemExit(f"POST /fair answered {answer.status_code}: {answer.text[:500]}")
            if number >= args.warm_up:
                timings.append(elapsed)
                empty += 'data-testid="job-card"' not in answer.text
    timings.sort()
    return {"talents": args.talents, "jobs": args.jobs, "requests": len(timings), "without_results": empty,
            "p50_ms": round(statistics.median(timings), 1), "p95_ms": round(timings[int(0.95 * (len(timings) - 1))], 1),
            "max_ms": round(timings[-1], 1), "target_p95_ms": TARGET_P95_MS}


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    for noisy in ("httpx", "httpx2", "matcher.api.access"):  # a line per request would drown the figures
        logging.getLogger(noisy).setLevel(logging.WARNING)
    if args.model_path is not None and not args.model_path.is_dir():
        raise SystemExit(f"--model-path {args.model_path} is not a directory")
    figures = bench(args)
    verdict = "met" if figures["p95_ms"] <= TARGET_P95_MS else "MISSED"
    print(f"fair form → results, {figures['talents']} talents × {figures['jobs']} positions, "
          f"{figures['requests']} posts: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, "
          f"max {figures['max_ms']} ms (target p95 <= {TARGET_P95_MS:g} ms: {verdict}); "
          f"{figures['without_results']} without results")
    if args.json:
        args.json.write_text(json.dumps(figures, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
