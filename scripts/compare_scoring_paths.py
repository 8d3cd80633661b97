"""Compare the compiled kernels with the plain path (``MATCHER_NATIVE=0``) on a prepared data directory.

Opens the data dir's Matcher twice, with ``native`` on and off, then for every job: BM25's top 200 talents
(``search``), and the talents the Matcher ranks for it (``candidates``, top 200, with the active rankers); and
for up to ``--talents`` talents their jobs (``recommend``). Prints whether the lists are identical, the largest
score and contribution differences, and each path's time. Prepare the directory first, e.g.::

    .venv/bin/python -m matcher.cli run --no-serve --demo-talents 10000      # MATCHER_DATA_DIR=...
    .venv/bin/python scripts/compare_scoring_paths.py --data-dir data --model-path data/models/static-zh
"""
from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import numpy as np

from matcher.config import Settings
from matcher.pipeline import Matcher
from matcher.rank import ranking
from matcher.rank.scoring import contribution_values, scores_and_leaves

TOP = 200


def timed(call: Callable[[], object]) -> tuple[object, float]:
    started = time.perf_counter()
    result = call()
    return result, time.perf_counter() - started


def compare_bm25(native: Matcher, reference: Matcher) -> dict:
    texts = [native.jobs.texts[j] for j in native.jobs.frame.index]
    (ids_a, scores_a), seconds_a = timed(lambda: native.talents.pool.sparse.search(texts, TOP))
    (ids_b, scores_b), seconds_b = timed(lambda: reference.talents.pool.sparse.search(texts, TOP))
    found = np.isfinite(scores_a)
    return {"queries": len(texts), "talents": len(native.talents.frame),
            "lists_identical": bool((ids_a == ids_b).all()),
            "max_score_diff": float(np.abs(scores_a[found] - scores_b[found]).max(initial=0.0)),
            "seconds_native": round(seconds_a, 3), "seconds_reference": round(seconds_b, 3)}


def compare_ranking(native: Matcher, reference: Matcher, talents: int) -> dict:
    """Matches of both Matchers, and every feature matrix the native one ranked, ranked again by both rankers."""
    calls: list[tuple[np.ndarray, object]] = []
    original = ranking.scores_and_leaves
    ranking.scores_and_leaves = lambda m, r: calls.append((m, r)) or original(m, r)
    try:
        asks = {"candidates": lambda m: m.candidates(list(m.jobs.frame.index), top=TOP),
                "recommend": lambda m: m.recommend(list(m.talents.frame.index[:talents]), top=TOP)}
        report: dict = {}
        for name, ask in asks.items():
            lists_a, seconds_a = timed(lambda ask=ask: ask(native))
            lists_b, seconds_b = timed(lambda ask=ask: ask(reference))
            report[name] = {"queries": len(lists_a), "matches_identical": lists_a == lists_b,
                            "seconds_native": round(seconds_a, 3), "seconds_reference": round(seconds_b, 3)}
    finally:
        ranking.scores_and_leaves = original
    return {**report, "rankers": _rank_again(native, reference, calls)}


def _rank_again(native: Matcher, reference: Matcher, calls: list) -> dict:
    others = {id(native.rankers[d]): reference.rankers[d] for d in native.rankers}
    mine = [(m, r) for m, r in calls if r is not None and id(r) in others]
    score_diff = contribution_diff = 0.0
    orders_identical, seconds = True, [0.0, 0.0]
    for matrix, ranker in mine:
        (score_a, order_a, weights_a), t_a = timed(partial(_explained, matrix, ranker))
        (score_b, order_b, weights_b), t_b = timed(partial(_explained, matrix, others[id(ranker)]))
        seconds[0] += t_a
        seconds[1] += t_b
        orders_identical &= bool((order_a == order_b).all())
        score_diff = max(score_diff, float(np.abs(score_a - score_b).max()))
        contribution_diff = max(contribution_diff, float(np.abs(weights_a - weights_b).max(initial=0.0)))
    return {"matrices": len(mine), "rows": int(sum(len(m) for m, _ in mine)), "orders_identical": orders_identical,
            "max_score_diff": score_diff, "max_contribution_diff": contribution_diff,
            "seconds_native": round(seconds[0], 3), "seconds_reference": round(seconds[1], 3)}


def _explained(matrix: np.ndarray, ranker) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every row's score, the best TOP rows and their contributions, as the ranking path computes them."""
    score, leaves = scores_and_leaves(matrix, ranker)
    order = np.argsort(-score, kind="stable")[:TOP]
    return score, order, contribution_values(matrix[order], ranker, None if leaves is None else leaves[order])[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--model-path", type=Path, default=None)
    parser.add_argument("--talents", type=int, default=500, help="talents whose jobs are compared (recommend)")
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args()
    settings = Settings(data_dir=args.data_dir, model_path=args.model_path, native=True)
    native = Matcher.open(settings)
    reference = Matcher.open(settings.model_copy(update={"native": False}))
    native.talents.pool.sparse.search(["warm up"], 1)  # numba's cached compilation loaded before timing
    report = {"bm25": compare_bm25(native, reference), **compare_ranking(native, reference, args.talents),
              "rankers_active": {d: r.version if r else None for d, r in native.rankers.items()}}
    text = json.dumps(report, indent=2, ensure_ascii=False)
    print(text)  # noqa: T201 - the script's output
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
