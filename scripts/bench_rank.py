"""Benchmark re-ranking: latency of features + score + explanations for 200 candidates, training time by rows.

Re-ranking runs on a real pipeline over demo data (``--data-dir`` with imported demo data and a model;
see README) when given, timing exactly what the ranking path does after retrieval (matcher.rank.ranking's
``rank_found`` for a batch of one query, explained as served). Training time uses
synthetic feature frames of each size (FEATURE_COLUMNS, groups of 20, graded labels), since it depends on
rows and groups, not on where they came from.

    python scripts/bench_rank.py --data-dir data --train-rows 100000,1000000 --json bench-rank.json
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import pandas as pd

from matcher.rank.features import FEATURE_COLUMNS, feature_matrix
from matcher.rank.ranking import Queries, rank_found
from matcher.retrieve.fusion import CANDIDATE_ID, QUERY
from matcher.training.fit import QuerySplit, train_ranker


def percentiles(samples: list[float]) -> dict[str, float]:
    ms = np.asarray(samples) * 1000
    return {"p50_ms": round(float(np.percentile(ms, 50)), 3), "p99_ms": round(float(np.percentile(ms, 99)), 3)}


def bench_rerank(data_dir: Path, n_candidates: int, repeats: int, top: int) -> dict:
    """Time features -> scores -> the top ``top`` with reasons and contributions for n_candidates jobs per talent."""
    from matcher.config import Settings
    from matcher.pipeline import Matcher

    matcher = Matcher.open(Settings(data_dir=data_dir))
    jobs, talents, side = matcher.job_profile_table, matcher.talent_profile_table, matcher.job_side()
    rng = np.random.default_rng(0)
    talent_ids = rng.choice(matcher.talents.frame.index.to_numpy(), size=repeats)
    timings, feature_timings = [], []
    for talent_id in talent_ids:
        chosen = rng.choice(jobs.ids, size=min(n_candidates, len(jobs)), replace=False).astype(object)
        n = len(chosen)
        found = {QUERY: np.zeros(n, dtype=np.int64), CANDIDATE_ID: chosen, "dense_score": rng.random(n),
                 "dense_rank": np.arange(1.0, n + 1), "sparse_score": np.full(n, np.nan),
                 "sparse_rank": np.full(n, np.nan), "fused_score": rng.random(n), "fused_rank": np.arange(1, n + 1)}
        queries = Queries([""], np.zeros((1, 1), dtype=np.float32), talents, talents.positions([talent_id]))
        started = time.perf_counter()
        feature_matrix(talents.features_table(), np.repeat(queries.rows, n), jobs.features_table(),
                       jobs.positions(chosen), found)
        feature_timings.append(time.perf_counter() - started)
        started = time.perf_counter()
        rank_found("recommend", queries, side, found, top, explain=True)
        timings.append(time.perf_counter() - started)
    return {"candidates": int(n), "top": top, "scorer": "ranker" if side.ranker else "rule",
            "rerank": percentiles(timings), "features_only": percentiles(feature_timings)}


def synthetic_rows(n: int, group: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    frame = pd.DataFrame(rng.normal(size=(n, len(FEATURE_COLUMNS))).astype(np.float32), columns=list(FEATURE_COLUMNS))
    frame["talent_category"] = rng.integers(0, 7, n)
    signal = frame["dense_score"] + frame["hometown_level"] * (frame["age"] > 0) + rng.normal(size=n)
    frame["label"] = np.digitize(signal, [1.0, 2.0, 3.0])
    frame["query"] = np.arange(n) // group
    return frame


def bench_training(rows: list[int], group: int) -> list[dict]:
    results = []
    for n in rows:
        frame = synthetic_rows(n, group, seed=n)
        queries = frame["query"].unique()
        split = QuerySplit(train=queries[: int(len(queries) * 0.8)], valid=queries[int(len(queries) * 0.8):
                                                                                  int(len(queries) * 0.9)],
                           test=queries[int(len(queries) * 0.9):])
        result = train_ranker(frame, seed=0, split=split)
        results.append({"rows": n, "seconds": round(result.seconds, 2), "best_iteration": result.best_iteration})
        print(f"training on {n:,} rows: {result.seconds:.1f} s ({result.best_iteration} trees)", flush=True)
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, help="a prepared data dir (matcher run --no-serve) for re-ranking")
    parser.add_argument("--candidates", type=int, default=200)
    parser.add_argument("--top", type=int, default=10, help="matches explained per query")
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--train-rows", default="10000,100000,1000000", help="comma-separated training sizes")
    parser.add_argument("--group", type=int, default=20, help="rows per query in synthetic training data")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    report: dict[str, object] = {}
    if args.data_dir:
        report["rerank"] = bench_rerank(args.data_dir, args.candidates, args.repeats, args.top)
        print(f"re-rank {args.candidates} candidates: {report['rerank']}", flush=True)
    sizes = [int(s) for s in args.train_rows.split(",") if s]
    report["training"] = bench_training(sizes, args.group)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
