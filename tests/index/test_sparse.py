"""BM25 over character n-grams: tokenisation, hand-computed scores, updates, filters, snapshots."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from matcher.embed.manifest import MANIFEST_NAME
from matcher.index.bm25 import BM25Params
from matcher.index.char_ngrams import term_counts
from matcher.index.postings import DenseRows
from matcher.index.snapshot import IndexMismatchError
from matcher.index.sparse import BM25Index


@pytest.fixture(params=[True, False], ids=["native", "reference"])
def native(request) -> bool:
    """Every index test runs on both scoring paths (``Settings.native``)."""
    return request.param


WORDS = ["焊工", "电工", "氩弧焊", "二保焊", "数控", "车床", "护士", "会计", "高级", "三级", "管道", "电气"]


def corpus(n: int, seed: int = 0) -> tuple[list[str], list[str]]:
    rng = np.random.default_rng(seed)
    texts = [" ".join(rng.choice(WORDS, size=rng.integers(1, 6))) for _ in range(n)]
    return [f"d{i:04d}" for i in range(n)], texts


def test_term_counts_are_character_unigrams_and_bigrams():
    counts = term_counts(["焊工 氩弧焊", "ＡＢ", "ab", ""])
    assert counts.sum(axis=1).A1.tolist() == [8, 3, 3, 0]  # 焊 工 焊工 | 氩 弧 焊 氩弧 弧焊; a b ab
    assert (counts[1] != counts[2]).nnz == 0  # NFKC folds full width, ASCII is lower-cased
    assert counts[0].max() == 2  # 焊 occurs in both words


def bm25_term(tf: int, dl: int, df: int, n: int = 3, avgdl: float = 11 / 3, k1: float = 1.2, b: float = 0.75):
    idf = math.log(1 + (n - df + 0.5) / (df + 0.5))
    return idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / avgdl))


def test_scores_equal_hand_computed_bm25(native):
    # d1 "ab" → a b ab (dl 3); d2 "bc" → b c bc (dl 3); d3 "aba" → a×2 b ab ba (dl 5); avgdl 11/3.
    index = BM25Index.build(["d1", "d2", "d3"], ["ab", "bc", "aba"], native=native)
    expected = {  # query "ab" → terms a (df 2), b (df 3), ab (df 2)
        "d1": bm25_term(1, 3, 2) + bm25_term(1, 3, 3) + bm25_term(1, 3, 2),
        "d2": bm25_term(1, 3, 3),
        "d3": bm25_term(2, 5, 2) + bm25_term(1, 5, 3) + bm25_term(1, 5, 2),
    }
    ids, scores = index.search(["ab"], 3)
    assert ids[0].tolist() == sorted(expected, key=expected.get, reverse=True)
    assert scores[0] == pytest.approx([expected[i] for i in ids[0]], rel=1e-5)


def test_large_indexes_skip_terms_in_most_documents(native):
    params = BM25Params(max_df_fraction=0.8, prune_from_docs=3)
    index = BM25Index.build(["d1", "d2", "d3"], ["ab", "bc", "aba"], params, native=native)
    # b is in all three documents (df 3 > 0.8 · 3): only a and ab are scored.
    expected = {"d1": bm25_term(1, 3, 2) + bm25_term(1, 3, 2), "d3": bm25_term(2, 5, 2) + bm25_term(1, 5, 2)}
    ids, scores = index.search(["ab"], 3)
    assert ids[0].tolist() == [*sorted(expected, key=expected.get, reverse=True), None]
    assert scores[0, :2] == pytest.approx([expected[i] for i in ids[0, :2]], rel=1e-5)


def test_documents_without_shared_terms_are_not_returned(native):
    index = BM25Index.build(["a", "b"], ["焊工", "护士"], native=native)
    ids, scores = index.search(["焊接", "会计"], 5)
    assert ids.tolist() == [["a", None, None, None, None], [None] * 5]
    assert np.isneginf(scores[1]).all()


def test_filters_are_exact(native):
    ids, texts = corpus(500)
    index = BM25Index.build(ids, texts, native=native)
    allowed = np.random.default_rng(2).random(len(ids)) < 0.2
    found, found_scores = index.search(["电工 管道 三级"], 20, allowed=allowed)
    scores = index.scores(["电工 管道 三级"])[0]
    scores[~allowed] = 0
    best = np.argsort(-scores, kind="stable")[:20]
    assert set(found[0]) <= {i for i, ok in zip(ids, allowed, strict=True) if ok}
    np.testing.assert_allclose(found_scores[0], scores[best], rtol=1e-6)
    by_ids = index.search(["电工 管道 三级"], 20, allowed=set(np.array(ids)[allowed]))
    assert found.tolist() == by_ids[0].tolist()


def test_update_and_delete_are_visible_in_next_search(native):
    ids, texts = corpus(200)
    index = BM25Index.build(ids, texts, BM25Params(compact_fraction=None), native=native)
    index.update(["d0003"], ["护士长 急诊"])
    assert index.search(["急诊"], 3)[0][0].tolist() == ["d0003", None, None]
    index.delete(["d0003"])
    assert index.search(["急诊"], 3)[0][0].tolist() == [None, None, None]
    index.add(["new"], ["焊工 焊工 氩弧焊 管道"])
    assert "new" in index.search(["管道 氩弧焊 焊工"], 5)[0][0]
    with pytest.raises(KeyError, match="d0003"):
        index.update(["d0003"], ["x"])


def test_merge_and_compaction_match_a_fresh_build(native):
    ids, texts = corpus(300, seed=4)
    index = BM25Index.build(ids[:100], texts[:100], BM25Params(compact_fraction=None), native=native)
    index.add(ids[100:], texts[100:])
    index.delete(ids[:50])
    index.compact()
    fresh = BM25Index.build(ids[50:], texts[50:], native=native)
    queries = ["焊工 车床", "护士 会计 高级"]
    np.testing.assert_allclose(index.scores(queries), fresh.scores(queries), rtol=1e-5)
    assert len(index.slots) == len(index) == 250


def test_common_terms_are_laid_out_as_dense_rows_that_follow_merges_and_compaction():
    ids, texts = corpus(400, seed=5)
    index = BM25Index.build(ids[:200], texts[:200], BM25Params(compact_fraction=None, merge_docs=150))
    queries = ["焊工 车床 高级", "护士 会计 三级 电气", "管道"]

    def rows_and_plain_scores():
        dense_terms = index._dense.terms
        with_rows = index.scores(queries)
        index._dense = DenseRows.none()
        plain = index.scores(queries)
        index._lay_out_dense()
        return dense_terms, with_rows, plain

    for change in (lambda: None, lambda: index.add(ids[200:], texts[200:]), lambda: index.delete(ids[:30]),
                   index.compact):
        change()
        dense_terms, with_rows, plain = rows_and_plain_scores()
        assert len(dense_terms) > 0 and index._dense.rows.shape == (len(dense_terms), index._main.shape[1])
        np.testing.assert_array_equal(with_rows, plain)  # the same sums, bit for bit


def test_automatic_compaction_past_the_tombstone_fraction(native):
    ids, texts = corpus(100)
    index = BM25Index.build(ids, texts, BM25Params(compact_fraction=0.1), native=native)
    index.delete(ids[:11])
    assert len(index.slots) == 89 and index.slots.n_dead == 0


def test_save_load_round_trip(tmp_path, native):
    ids, texts = corpus(300)
    index = BM25Index.build(ids[:200], texts[:200], BM25Params(compact_fraction=None), data_snapshot_id="s1",
                            native=native)
    index.add(ids[200:], texts[200:])  # leaves an unmerged recent segment
    index.delete(ids[:3])
    before = index.search(["焊工 电工", "数控车床"], 10)
    index.save(tmp_path / "bm25")
    loaded = BM25Index.load(tmp_path / "bm25", BM25Params(compact_fraction=None), native=native)
    after = loaded.search(["焊工 电工", "数控车床"], 10)
    assert after[0].tolist() == before[0].tolist()
    np.testing.assert_array_equal(after[1], before[1])
    manifest = json.loads((tmp_path / "bm25" / MANIFEST_NAME).read_text())
    assert manifest["count"] == 297 and manifest["tombstones"] == 3 and manifest["data_snapshot_id"] == "s1"


def test_load_refuses_other_parameters_or_tokenizer(tmp_path, native):
    ids, texts = corpus(20)
    BM25Index.build(ids, texts, native=native).save(tmp_path / "bm25")
    with pytest.raises(IndexMismatchError, match="'params'"):
        BM25Index.load(tmp_path / "bm25", BM25Params(k1=2.0), native=native)
    path = tmp_path / "bm25" / MANIFEST_NAME
    path.write_text(json.dumps({**json.loads(path.read_text()), "tokenizer": "jieba/v0"}))
    with pytest.raises(IndexMismatchError, match="tokenizer.*jieba/v0"):
        BM25Index.load(tmp_path / "bm25", native=native)


@pytest.mark.parametrize("k", [1, 5, 40, 300])
def test_whole_row_sort_equals_per_row_partition(monkeypatch, k, native):
    """Narrow indexes sort every query row at once; wide ones partition row by row. Same answers, ties included
    (the corpus repeats texts, so equal scores are common), deleted and masked documents left out."""
    ids, texts = corpus(200, seed=4)
    index = BM25Index.build(ids, texts, native=native)
    index.delete(["d0003", "d0010"])
    queries = ["焊工 氩弧焊", "护士", "会计 高级 三级", "无关词"]
    allowed = {f"d{i:04d}" for i in range(0, 200, 3)}
    for mask in (None, allowed):
        sorted_ids, sorted_scores = index.search(queries, k, mask)
        monkeypatch.setattr("matcher.index.sparse._SORT_WHOLE_ROWS", 0)
        row_ids, row_scores = index.search(queries, k, mask)
        monkeypatch.undo()
        assert (sorted_ids == row_ids).all()
        np.testing.assert_array_equal(sorted_scores, row_scores)
    assert sorted_ids[3].tolist() == [None] * k  # no shared term: nothing, not zero-score documents

