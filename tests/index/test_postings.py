"""Both scoring paths (the compiled postings loop and top-k heap; scipy's product and numpy's partition) against
the sparse product and a stable sort and against each other, and query terms against the count matrix."""
from types import ModuleType

import numpy as np
import pytest
import scipy.sparse as sp

from matcher.index import postings as postings_module
from matcher.index import postings_reference
from matcher.index.char_ngrams import distinct_terms, term_counts
from matcher.index.postings import DenseRows, accumulate_postings, top_positive


@pytest.fixture(params=[postings_module, postings_reference], ids=["native", "reference"])
def kernels(request) -> ModuleType:
    """The module of one path: both have ``accumulate_postings`` and ``top_positive``, same signatures."""
    return request.param


def _postings(seed: int = 0) -> sp.csr_matrix:
    rng = np.random.default_rng(seed)
    return sp.random(50, 300, density=0.1, format="csr", dtype=np.float32, random_state=rng)


def test_accumulate_equals_the_sparse_product_for_several_queries(kernels):
    postings = _postings()
    terms = np.array([1, 4, 7, 20, 49])
    weights = np.array([[0.5, 0, 2.0, 1.0, 0], [0, 0, 0, 0, 3.0], [0, 0, 0, 0, 0]], dtype=np.float32)
    out = np.zeros((3, 300), dtype=np.float32)
    kernels.accumulate_postings(postings.indptr, postings.indices, postings.data, terms, weights, out)
    expected = (postings[terms].T @ weights.T).T
    np.testing.assert_array_equal(out, expected)
    assert not out[2].any()


def test_accumulate_adds_at_an_offset_without_touching_other_columns(kernels):
    postings = _postings(1)
    out = np.full((1, 310), 1.0, dtype=np.float32)
    kernels.accumulate_postings(postings.indptr, postings.indices, postings.data, np.array([3]), np.array([[2.0]]),
                                out, 10)
    np.testing.assert_array_equal(out[0, :10], 1.0)
    np.testing.assert_allclose(out[0, 10:], 1.0 + 2.0 * postings[3].toarray()[0])


def test_accumulate_refuses_an_output_it_cannot_write_in_place(kernels):
    postings = _postings()
    with pytest.raises(ValueError, match="float32"):
        kernels.accumulate_postings(postings.indptr, postings.indices, postings.data, np.array([1]), np.ones((1, 1)),
                            np.zeros((1, 300)))


def _sorted_top(row: np.ndarray, k: int, mask: np.ndarray | None = None) -> list[int]:
    """The reference: allowed positive entries, stably sorted by descending score, the first k."""
    allowed = (row > 0) if mask is None else (row > 0) & mask
    positive = np.flatnonzero(allowed)
    return positive[np.argsort(-row[positive], kind="stable")][:k].tolist()


def test_top_positive_equals_a_stable_sort_with_ties_by_position(kernels):
    rng = np.random.default_rng(7)
    for _ in range(500):
        row = rng.integers(-2, 5, int(rng.integers(0, 60))).astype(np.float32)  # many ties and non-positives
        k = int(rng.integers(1, 80))  # often more than the row holds
        mask = rng.random(len(row)) < 0.7
        assert kernels.top_positive(row, k).tolist() == _sorted_top(row, k)
        assert kernels.top_positive(row, k, mask).tolist() == _sorted_top(row, k, mask)


def test_top_positive_on_a_wide_row_of_nearly_all_positive_scores(kernels):
    rng = np.random.default_rng(3)
    row = rng.gamma(1.0, 1.0, 100_000).astype(np.float32).round(2)  # rounded: thousands of ties
    row[rng.random(len(row)) < 0.01] = 0.0
    mask = rng.random(len(row)) < 0.5
    assert kernels.top_positive(row, 200).tolist() == _sorted_top(row, 200)
    assert kernels.top_positive(row, 200, mask).tolist() == _sorted_top(row, 200, mask)
    assert kernels.top_positive(np.zeros(10, dtype=np.float32), 5).size == 0
    assert kernels.top_positive(row, 0).size == 0


def test_top_positive_refuses_a_mask_of_another_length(kernels):
    with pytest.raises(ValueError, match="mask has shape"):
        kernels.top_positive(np.ones(5, dtype=np.float32), 2, np.ones(4, dtype=bool))


def test_distinct_terms_are_the_nonzero_positions_of_term_counts():
    texts = ["焊工 氩弧焊", "ＡＢ", "", "电工电工 Python"]
    counts = term_counts(texts)
    rows, features = distinct_terms(texts)
    rows_expected, features_expected = counts.nonzero()
    assert rows.tolist() == rows_expected.tolist() and features.tolist() == features_expected.tolist()
    assert distinct_terms([])[0].size == 0


def test_accumulate_handles_every_remainder_of_four_postings(kernels):
    for length in range(0, 10):
        postings = sp.csr_matrix((np.arange(1, length + 1, dtype=np.float32), np.arange(length), [0, length]),
                                 shape=(1, 12))
        out = np.zeros((1, 12), dtype=np.float32)
        kernels.accumulate_postings(postings.indptr, postings.indices, postings.data, np.array([0]),
                                    np.array([[2.0]]), out)
        np.testing.assert_array_equal(out[0], 2.0 * postings.toarray()[0])


def _skewed_postings(seed: int = 0) -> sp.csr_matrix:
    """Terms from nearly every document to a handful, so some are laid out as dense rows and some are not."""
    rng = np.random.default_rng(seed)
    density = np.linspace(0.95, 0.02, 40)[:, None]
    present = rng.random((40, 301)) < density
    values = rng.gamma(2.0, 0.7, (40, 301)).astype(np.float32)
    return sp.csr_matrix(np.where(present, values, 0.0).astype(np.float32))


def test_dense_rows_hold_the_common_terms_postings_with_zeros_elsewhere():
    postings = _skewed_postings()
    df = np.diff(postings.indptr)
    dense = DenseRows.of(postings.indptr, postings.indices, postings.data, 301)
    assert dense.terms.tolist() == np.flatnonzero(df >= 0.25 * 301).tolist() and len(dense.terms) < 40
    np.testing.assert_array_equal(dense.rows, postings[dense.terms].toarray())
    scored = np.arange(40) % 2 == 0  # a query would skip the odd terms: no rows for them
    assert DenseRows.of(postings.indptr, postings.indices, postings.data, 301, scored).terms.tolist() == [
        t for t in dense.terms.tolist() if t % 2 == 0]
    assert dense.positions(np.array([dense.terms[2], 39, dense.terms[0], 10_000])).tolist() == [2, -1, 0, -1]
    assert DenseRows.none().positions(np.array([1, 2])).tolist() == [-1, -1]


def test_dense_rows_keep_to_the_budget_commonest_terms_first(monkeypatch):
    postings = _skewed_postings()
    monkeypatch.setattr(postings_module, "DENSE_BUDGET_BYTES", 3 * 4 * 301)  # room for three rows
    dense = DenseRows.of(postings.indptr, postings.indices, postings.data, 301)
    df = np.diff(postings.indptr)
    assert dense.terms.tolist() == sorted(np.argsort(-df, kind="stable")[:3].tolist())


def test_scores_through_dense_rows_equal_scattered_postings_bit_for_bit(kernels):
    postings = _skewed_postings(1)
    dense = DenseRows.of(postings.indptr, postings.indices, postings.data, 301)
    rng = np.random.default_rng(2)
    terms = np.sort(rng.choice(40, 25, replace=False))  # common and rare terms interleaved
    weights = rng.gamma(1.0, 1.0, (3, 25)).astype(np.float32)
    weights[1, ::3] = 0
    for offset in (0, 7):
        plain = np.full((3, 310), 0.5, dtype=np.float32)
        through_rows = plain.copy()
        kernels.accumulate_postings(postings.indptr, postings.indices, postings.data, terms, weights, plain, offset)
        kernels.accumulate_postings(postings.indptr, postings.indices, postings.data, terms, weights, through_rows,
                                    offset, dense)
        assert np.isin(terms, dense.terms).any() and not np.isin(terms, dense.terms).all()
        np.testing.assert_array_equal(through_rows, plain)
        np.testing.assert_array_equal(through_rows[:, :offset], 0.5)
    with pytest.raises(ValueError, match="do not fit"):
        accumulate_postings(postings.indptr, postings.indices, postings.data, terms, weights,
                            np.zeros((3, 305), dtype=np.float32), 7, dense)


def test_both_paths_give_the_same_floats_and_the_same_lists():
    """Kernel against reference on a skewed main segment and a recent segment behind it, as BM25Index.scores
    lays them out: the scores bit for bit, then the best k of every row, ties and masks included (the recent
    segment repeats the main's documents, so every score is tied with a later one)."""
    main = _skewed_postings(3)
    recent = main
    dense = DenseRows.of(main.indptr, main.indices, main.data, 301)
    rng = np.random.default_rng(5)
    terms = np.sort(rng.choice(40, 30, replace=False))
    weights = rng.gamma(1.0, 1.0, (6, 30)).astype(np.float32).round(1)  # rounded: equal scores happen
    weights[rng.random(weights.shape) < 0.3] = 0
    rows = {}
    for name, module in (("native", postings_module), ("reference", postings_reference)):
        out = np.zeros((6, 602), dtype=np.float32)
        module.accumulate_postings(main.indptr, main.indices, main.data, terms, weights, out, 0, dense)
        module.accumulate_postings(recent.indptr, recent.indices, recent.data, terms, weights, out, 301)
        rows[name] = out
    np.testing.assert_array_equal(rows["native"], rows["reference"])
    np.testing.assert_array_equal(rows["native"][:, :301], rows["native"][:, 301:])
    assert (rows["native"] > 0).sum() > 1000
    mask = rng.random(602) < 0.6
    for row in rows["native"]:
        for k in (1, 17, 200, 700):
            assert top_positive(row, k).tolist() == postings_reference.top_positive(row, k).tolist()
            assert top_positive(row, k, mask).tolist() == postings_reference.top_positive(row, k, mask).tolist()
