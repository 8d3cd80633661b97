"""The check a ranker passes before it is served by the compiled tree walk: on rows probing every split, the
walk reaches LightGBM's leaves and adds up to LightGBM's scores.

matcher.rank.trees copies LightGBM 4's split decisions. A LightGBM that decides differently (another major
version, a decision type read wrongly) would otherwise change scores and explanations without a sign; this
check turns that into a refusal naming the ranker, while ``Settings.native = False`` still serves it through
LightGBM's own ``predict``.
"""
from __future__ import annotations

import lightgbm as lgb
import numpy as np

from matcher.rank.attribution import PathAttribution
from matcher.rank.trees import TreeWalk

PROBE_ROWS = 64
PROBE_SEED = 0
SCORE_TOLERANCE = 1e-6
"""Largest score difference between the walk and ``predict(raw_score=True)`` a ranker may show (they are equal
bit for bit when the walk is right: the same leaf outputs added in the same order)."""


def probe_rows(walk: TreeWalk, n_features: int, n_rows: int = PROBE_ROWS, seed: int = PROBE_SEED) -> np.ndarray:
    """(n_rows, n_features) float64 rows whose values sit where the trees decide: each value is drawn from its
    feature's split thresholds (on one, or the next float above), its categorical splits' categories, zero, ±inf
    or NaN, so that the rows take both sides of splits, missing-value and zero rules included."""
    rng = np.random.default_rng(seed)
    values = [[0.0, np.nan, np.inf, -np.inf] for _ in range(n_features)]
    for node, feature in enumerate(walk.feature):
        if walk.categorical[node]:
            start, end = walk.categories[node]
            words = walk.bitset[start:end]
            values[feature].extend(float(32 * w + b) for w in range(len(words)) for b in range(32)
                                   if (int(words[w]) >> b) & 1)
        else:
            threshold = float(walk.threshold[node])
            values[feature].extend((threshold, float(np.nextafter(threshold, np.inf))))
    rows = np.empty((n_rows, n_features), dtype=np.float64)
    for feature, choices in enumerate(values):
        rows[:, feature] = rng.choice(np.asarray(choices, dtype=np.float64), n_rows)
    return rows


def walk_disagreement(attribution: PathAttribution, booster: lgb.Booster, rows: np.ndarray) -> str | None:
    """What the compiled walk gets wrong on ``rows`` against ``booster.predict`` (leaves, and raw scores when
    they are leaf sums), or None when it agrees."""
    if not attribution.n_trees:
        return None
    leaves = attribution.leaves(rows)
    expected = booster.predict(rows, pred_leaf=True, num_threads=1).astype(np.int64) + attribution.offsets
    wrong_rows = int((leaves != expected).any(axis=1).sum())
    difference = 0.0
    if attribution.raw_output:
        scores = booster.predict(rows, raw_score=True, num_threads=1)
        difference = float(np.abs(attribution.scores(leaves) - scores).max())
    if not wrong_rows and difference <= SCORE_TOLERANCE:
        return None
    return (f"the compiled tree walk reaches other leaves than LightGBM {lgb.__version__} on {wrong_rows} of "
            f"{len(rows)} probe rows (largest score difference {difference:.3g}, allowed {SCORE_TOLERANCE:g})")
