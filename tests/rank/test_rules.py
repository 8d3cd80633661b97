"""The cold-start rule score: relevance first, certificates never worse than none, levels above credited."""
from __future__ import annotations

import numpy as np

from matcher.rank.features import FEATURE_COLUMNS
from matcher.rank.rules import RULE_WEIGHTS, retrieval_fit, rule_score, rule_terms


def rows(**columns: list[float]) -> np.ndarray:
    n = len(next(iter(columns.values())))
    matrix = np.full((n, len(FEATURE_COLUMNS)), np.nan, dtype=np.float32)
    for name, values in columns.items():
        matrix[:, FEATURE_COLUMNS.index(name)] = values
    return matrix


def term(matrix: np.ndarray, name: str) -> np.ndarray:
    return rule_terms(matrix)[:, list(RULE_WEIGHTS).index(name)]


def test_retrieval_fit_is_one_at_the_top_of_both_channels_and_zero_when_unretrieved():
    fit = retrieval_fit(np.array([1.0, 4.0, np.nan]), np.array([1.0, 1.0, np.nan]))
    assert fit.tolist() == [1.0, 0.75, 0.0]


def test_a_lower_level_never_scores_below_holding_none():
    matrix = rows(cert_required=[1, 1, 1], cert_held=[1, 1, 0], cert_meets_level=[1, 0, 0],
                  cert_level_gap=[0, -1, np.nan])
    met, below, missing = rule_score(matrix)
    assert met > below > missing


def test_levels_above_the_requirement_are_credited_up_to_two():
    matrix = rows(cert_held=[1, 1, 1, 0], cert_meets_level=[1, 1, 1, 0], cert_level_gap=[0, 1, 4, np.nan])
    assert term(matrix, "cert_levels_above").round(6).tolist() == [0.0, 0.3, 0.6, 0.0]


def test_preferences_cannot_lift_a_pair_retrieval_placed_far_below_over_the_top_one():
    """Everything a preference can add (same county, willing, intent city, five stars) is smaller than the gap
    between first on both channels and tenth on both."""
    top = rows(dense_rank=[1], sparse_rank=[1])
    far = rows(dense_rank=[10], sparse_rank=[10], hometown_level=[3], willing_to_return=[1], job_city_in_intent=[1],
               urgency_stars=[5])
    assert rule_score(top)[0] > rule_score(far)[0]


def _reference_terms(matrix: np.ndarray) -> np.ndarray:
    """Each term written out on its own, as the weights table reads: the twin rule_terms is checked against."""
    f = {c: matrix[:, i].astype(np.float64) for i, c in enumerate(FEATURE_COLUMNS)}
    held, meets = f["cert_held"], f["cert_meets_level"]
    terms = {
        "retrieval_fit": retrieval_fit(f["dense_rank"], f["sparse_rank"]),
        "cert_meets": (held == 1) & (meets != 0),
        "cert_levels_above": np.clip(np.where(held == 1, f["cert_level_gap"], 0.0), 0.0, 2.0),
        "cert_below": (held == 1) & (meets == 0),
        "cert_missing": held == 0,
        "education_short": f["education_gap"] < 0,
        "experience_short": f["experience_gap"] < 0,
        "salary_over": f["salary_within"] == 0,
    }
    return np.column_stack([np.nan_to_num(np.asarray(terms.get(name, f.get(name)), dtype=float), nan=0.0) * weight
                            for name, weight in RULE_WEIGHTS.items()])


def test_rule_terms_equal_each_term_written_out_on_random_rows_with_missing_values():
    rng = np.random.default_rng(7)
    matrix = rng.integers(-2, 4, size=(500, len(FEATURE_COLUMNS))).astype(np.float32)
    matrix[rng.random(matrix.shape) < 0.2] = np.nan
    expected = _reference_terms(matrix)
    assert np.array_equal(rule_terms(matrix), expected)
    assert expected[:, list(RULE_WEIGHTS).index("cert_missing")].any()  # the sample reaches every branch
    assert (expected[:, list(RULE_WEIGHTS).index("cert_levels_above")] == 0.6).any()
