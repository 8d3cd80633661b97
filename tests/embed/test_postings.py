"""The compiled postings loop against scipy's product, and query terms against the count matrix."""
import numpy as np
import pytest
import scipy.sparse as sp

from matcher.embed.char_ngrams import distinct_terms, term_counts
from matcher.embed.postings import accumulate_postings


def _postings(seed: int = 0) -> sp.csr_matrix:
    rng = np.random.default_rng(seed)
    return sp.random(50, 300, density=0.1, format="csr", dtype=np.float32, random_state=rng)


def test_accumulate_equals_the_sparse_product_for_several_queries():
    postings = _postings()
    terms = np.array([1, 4, 7, 20, 49])
    weights = np.array([[0.5, 0, 2.0, 1.0, 0], [0, 0, 0, 0, 3.0], [0, 0, 0, 0, 0]], dtype=np.float32)
    out = np.zeros((3, 300), dtype=np.float32)
    accumulate_postings(postings.indptr, postings.indices, postings.data, terms, weights, out)
    expected = (postings[terms].T @ weights.T).T
    np.testing.assert_array_equal(out, expected)
    assert not out[2].any()


def test_accumulate_adds_at_an_offset_without_touching_other_columns():
    postings = _postings(1)
    out = np.full((1, 310), 1.0, dtype=np.float32)
    accumulate_postings(postings.indptr, postings.indices, postings.data, np.array([3]), np.array([[2.0]]), out, 10)
    np.testing.assert_array_equal(out[0, :10], 1.0)
    np.testing.assert_allclose(out[0, 10:], 1.0 + 2.0 * postings[3].toarray()[0])


def test_accumulate_refuses_an_output_it_cannot_write_in_place():
    postings = _postings()
    with pytest.raises(ValueError, match="float32"):
        accumulate_postings(postings.indptr, postings.indices, postings.data, np.array([1]), np.ones((1, 1)),
                            np.zeros((1, 300)))


def test_distinct_terms_are_the_nonzero_positions_of_term_counts():
    texts = ["焊工 氩弧焊", "ＡＢ", "", "电工电工 Python"]
    counts = term_counts(texts)
    rows, features = distinct_terms(texts)
    rows_expected, features_expected = counts.nonzero()
    assert rows.tolist() == rows_expected.tolist() and features.tolist() == features_expected.tolist()
    assert distinct_terms([])[0].size == 0
