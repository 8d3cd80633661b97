"""Benchmark a large pool: seconds to open it, seconds and peak memory of a bulk run, talents/s.

For each pool size a data directory of N demo talents × ``--jobs`` positions is prepared once under ``--data``
(demo generator, importer, ``matcher index build``, ``matcher train``: the commands a user runs; reused when
present). Then, each in a fresh subprocess so its memory is its own:

* open: ``Matcher.open`` as every command and the server do, timed by phase: frames (talents and jobs read
  from the database), indexes (the saved FAISS, BM25 and metadata pools), texts (each row rendered for the
  sparse channel), profiles (profile columns and their encoding for the features), rest (encoder, compiled
  kernels, rankers). Opened twice: the first open may write caches a later open reuses. With ``--writes N``,
  N talents are first written through matcher (each with its change-log entry, as the API, an import or the
  CLI writes them), so the first open is the one after a day of registrations: its frame snapshot, pools and
  shared tables are stale and brought up to date. N more are written before the bulk run, whose own open is
  then such an open too.
* bulk: ``matcher bulk`` (local engine) with top 20, shortlists and the interview schedule, as
  ``scripts/bench_bulk.py`` runs it: ranking seconds, seconds with outputs, wall seconds with start-up.

Peak memory is the summed RSS of the subprocess and all its descendants, sampled from /proc.

    .venv/bin/python scripts/bench_scale.py --talents 100000 --json bench_scale.json
    .venv/bin/python scripts/bench_scale.py --talents 1000000 --model-path data/models/static-zh
    .venv/bin/python scripts/bench_scale.py --talents 100000 --skip-bulk --profile open.prof   # where open goes
    .venv/bin/python scripts/bench_scale.py --talents 1000000 --writes 2000 --model-path ...   # after writes

Targets (2 cores): a 1M pool opens in <= 120 s; 1M × 243 bulk in <= 600 s and <= 4 GB.
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_api import matcher_env, prepare, train
from bench_bulk import measure, run_sampled

log = logging.getLogger("bench_scale")
TARGET_OPEN_SECONDS, TARGET_BULK_SECONDS, TARGET_GB = 120.0, 600.0, 4.0
OPEN_PHASES = {"frames": ("load_talents", "load_jobs", "load_frame"), "indexes": ("open_pool",),
               "texts": ("rendered_side",), "profiles": ("talent_profiles", "job_profiles")}
"""Phase -> the functions ``matcher.pipeline`` calls for it while opening (timed where the pipeline looks them up)."""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--talents", type=int, nargs="+", default=[100_000], help="pool sizes (default 100000)")
    parser.add_argument("--jobs", type=int, default=243, help="positions (default 243)")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "matcher-scale",
                        help="data directories live here, one per pool size; reused when prepared")
    parser.add_argument("--model-path", type=Path, help="an existing embedding model directory (default: build)")
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--depth", type=int, default=100)
    parser.add_argument("--batch", type=int, default=1024)
    parser.add_argument("--workers", type=int, help="bulk worker processes (default: one per core)")
    parser.add_argument("--opens", type=int, default=2, help="times the pool is opened (default 2)")
    parser.add_argument("--skip-bulk", action="store_true", help="measure opening only")
    parser.add_argument("--profile", type=Path, help="cProfile the first open into this file")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--writes", type=int, default=0,
                        help="talents written (change-logged) before the first open and the bulk run (default 0)")
    parser.add_argument("--open-once", action="store_true", help=argparse.SUPPRESS)  # the child of measure_open
    parser.add_argument("--write-talents", type=int, help=argparse.SUPPRESS)  # the child of write_talents
    return parser.parse_args(argv)


def prepared(talents: int, args: argparse.Namespace) -> tuple[Path, dict[str, str]]:
    data_dir = args.data / f"talents{talents}-jobs{args.jobs}"
    env = matcher_env(data_dir, args.model_path)
    prepare(data_dir, talents, args.jobs, args.seed, env)
    if not (data_dir / "rankers").is_dir():
        train(env)
    return data_dir, env


def measure_open(env: dict[str, str], profile: Path | None) -> dict:
    """One ``Matcher.open`` in a subprocess: its phases' seconds and the peak RSS of its process tree."""
    command = [sys.executable, __file__, "--open-once", *(["--profile", str(profile)] if profile else [])]
    done, peak_mb = run_sampled(command, env, prefix=[])
    if done.returncode:
        raise SystemExit(f"opening the pool failed:\n{done.stderr[-3000:]}")
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "peak_tree_rss_mb": peak_mb}


def open_once(profile: Path | None) -> dict:
    """Open the pool of MATCHER_DATA_DIR here, timing each phase; what :func:`measure_open` runs."""
    import matcher.pipeline as pipeline
    from matcher.config import get_settings

    seconds = dict.fromkeys(OPEN_PHASES, 0.0)
    for phase, names in OPEN_PHASES.items():
        for name in names:
            if hasattr(pipeline, name):  # load_frame: since the frame snapshots
                setattr(pipeline, name, _timed(getattr(pipeline, name), phase, seconds))
    settings = get_settings()
    started = time.perf_counter()
    if profile is not None:
        import cProfile

        cProfile.runctx("pipeline.Matcher.open(settings)", globals(), locals(), str(profile))
    else:
        pipeline.Matcher.open(settings)
    total = time.perf_counter() - started
    return {"open_seconds": round(total, 2), **{k: round(v, 2) for k, v in seconds.items()},
            "rest": round(total - sum(seconds.values()), 2)}


def _timed(function, phase: str, seconds: dict[str, float]):
    def timed(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[phase] += time.perf_counter() - started
    return timed


def write_talents(env: dict[str, str], count: int) -> None:
    """``count`` talents, spread over the pool, given a new current title in a subprocess (:func:`written`)."""
    command = [sys.executable, __file__, "--write-talents", str(count)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"writing talents failed:\n{done.stderr[-3000:]}")
    log.info("%s", done.stdout.strip().splitlines()[-1])


def written(count: int) -> str:
    """Update ``count`` talents of MATCHER_DATA_DIR through matcher's records, one change-log entry each."""
    from sqlalchemy.orm import Session

    from matcher.config import get_settings
    from matcher.store.db import make_engine
    from matcher.store.frames import stored_ids
    from matcher.store.records import update_record

    engine = make_engine(get_settings())
    ids = stored_ids(engine, "talent")
    chosen = ids[::max(len(ids) // max(count, 1), 1)][:count]
    started, title = time.perf_counter(), f"数控车工（{time.strftime('%H%M%S')}）"  # a new value every run
    with Session(engine) as session:
        for talent_id in chosen:
            update_record(session, "talents", talent_id, {"current_title": title})
        session.commit()
    return f"wrote {len(chosen)} talents in {time.perf_counter() - started:.1f} s"


def measure_case(talents: int, args: argparse.Namespace) -> dict:
    data_dir, env = prepared(talents, args)
    if args.writes:
        write_talents(env, args.writes)
    opens = [measure_open(env, args.profile if i == 0 else None) for i in range(args.opens)]
    result = {"talents": talents, "jobs": args.jobs, "writes_before_first_open": args.writes, "opens": opens}
    log.info("opened %d talents: %s", talents, opens)
    if not args.skip_bulk:
        if args.writes:
            write_talents(env, args.writes)
        bulk = measure(data_dir, env, "local", argparse.Namespace(
            top=args.top, depth=args.depth, batch=args.batch, workers=args.workers, spark_master="local[2]"))
        result["bulk"] = bulk
        log.info("bulk %d talents: %s", talents, bulk)
    return result


def report(results: list[dict]) -> None:
    print(f"\n{'talents':>9} {'open s':>7} {'frames':>7} {'indexes':>8} {'texts':>6} {'profiles':>9} {'rest':>6} "
          f"{'open MB':>8} | {'bulk s':>7} {'rank s':>7} {'wall s':>7} {'talents/s':>10} {'bulk MB':>8}")
    for r in results:
        for i, o in enumerate(r["opens"]):
            line = (f"{r['talents']:>9} {o['open_seconds']:>7.1f} {o['frames']:>7.1f} {o['indexes']:>8.1f} "
                    f"{o['texts']:>6.1f} {o['profiles']:>9.1f} {o['rest']:>6.1f} {o['peak_tree_rss_mb']:>8.0f}")
            b = r.get("bulk") if i == len(r["opens"]) - 1 else None
            if b:
                line += (f" | {b['seconds_with_outputs']:>7.1f} {b['ranking_seconds']:>7.1f} "
                         f"{b['wall_seconds_with_start_up']:>7.1f} {b['talents_per_s']:>10.0f} "
                         f"{b['peak_tree_rss_mb']:>8.0f}")
            print(line)
    print(f"targets at 1M: open <= {TARGET_OPEN_SECONDS:.0f} s; bulk <= {TARGET_BULK_SECONDS:.0f} s and "
          f"<= {TARGET_GB:.0f} GB (MB: summed RSS of the process tree, sampled)")


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.write_talents is not None:
        print(written(args.write_talents))
        return 0
    if args.open_once:
        logging.basicConfig(level=logging.WARNING)
        print(json.dumps(open_once(args.profile)))
        return 0
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    results = [measure_case(talents, args) for talents in args.talents]
    report(results)
    if args.json:
        payload = {"cpus": os.cpu_count(), "top": args.top, "depth": args.depth, "batch": args.batch,
                   "results": results, "targets": {"open_seconds": TARGET_OPEN_SECONDS,
                                                   "bulk_seconds": TARGET_BULK_SECONDS, "gb": TARGET_GB}}
        args.json.write_text(json.dumps(payload, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
