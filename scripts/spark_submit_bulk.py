"""A bulk run under spark-submit: the Matcher opens on the driver, talent batches are ranked on the executors.

    PYSPARK_PYTHON=/opt/matcher/.venv/bin/python \\
    spark-submit --master spark://host:7077 scripts/spark_submit_bulk.py --data-dir data --out event-2026

The data dir is read on the driver only: the job side is broadcast and talent batches travel as rows, and the
engine ships this driver's matcher package and catalogs/ to the executors as a zip. Every worker needs Python of
this minor version with matcher's dependencies (``pip install -e .[spark]``) at the path ``PYSPARK_PYTHON`` names
(default: this interpreter's path). Rerun the same command to resume. See docs/operations.md, "Spark on a real
cluster"; scripts/spark_cluster.sh starts a standalone cluster on this machine.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__)
    parser.add_argument("--data-dir", type=Path, required=True, help="the matcher data dir (on the driver)")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output dir (on the driver)")
    parser.add_argument("--talent-ids", type=Path, metavar="FILE", help="talent ids, one a line (default: all)")
    parser.add_argument("--top", type=int, default=20, help="jobs per talent (default 20)")
    parser.add_argument("--shortlist", type=int, default=20, help="talents per job (default 20)")
    parser.add_argument("--depth", type=int, default=100, help="fused candidates ranked per talent (0 = all)")
    parser.add_argument("--batch", type=int, default=1024, help="talents per batch (default 1024)")
    parser.add_argument("--batches-per-wave", type=int, help="batches per Spark job (default 2 × parallelism)")
    parser.add_argument("--restart", action="store_true", help="discard an existing checkpoint in --out")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)  # this script is the edge: it may set the environment
    from pyspark.sql import SparkSession

    from matcher.bulk import BulkParams, run_bulk
    from matcher.bulk.spark import SparkEngine
    from matcher.config import Settings
    from matcher.pipeline import Matcher

    matcher = Matcher.open(Settings(data_dir=args.data_dir))
    if args.talent_ids:
        ids, pool = args.talent_ids.read_text(encoding="utf-8-sig").split(), f"file:{args.talent_ids.name}"
    else:
        ids, pool = list(matcher.talents.frame.index), "all"
    params = BulkParams(top=args.top, shortlist=args.shortlist, depth=args.depth or None, batch=args.batch,
                        pool=pool)
    spark = SparkSession.builder.appName("matcher-bulk").getOrCreate()  # master and conf from spark-submit
    try:
        engine = SparkEngine(matcher, session=spark, batches_per_wave=args.batches_per_wave)
        result = run_bulk(matcher, ids, args.out, params, engine=engine, restart=args.restart,
                          progress=sys.stderr.isatty(), release_mapped=True)
    finally:
        spark.stop()
    s = result.summary
    print(f"{s['talents']} talents × {s['jobs']} jobs: {s['pairs']} rows, {s['seconds']:.1f} s ranking, "
          f"{s['seconds_with_outputs']:.1f} s in all -> {result.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
