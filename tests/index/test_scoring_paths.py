"""Both BM25 scoring paths on the demo world: the compiled loops and scipy + numpy give the same top-200 of every
job's query over the talents, bit for bit, with and without a filter."""
from __future__ import annotations

import numpy as np
import pytest

from matcher.demo import generate_jobs, talents_frame
from matcher.embed.render import render_jobs, render_talents
from matcher.index.bm25 import BM25Params
from matcher.index.sparse import _SORT_WHOLE_ROWS, BM25Index

TOP = 200


@pytest.fixture(scope="module")
def demo_texts() -> tuple[list[str], list[str], list[str]]:
    """The demo's 243 jobs and 5,000 of its talents (wider than whole-row sorting, so rows go through
    top_positive), rendered as the pools render them: talent ids, talent texts, job texts."""
    jobs = generate_jobs(243, seed=7)
    talents = talents_frame(5000, seed=7, jobs=jobs)
    assert len(talents) > _SORT_WHOLE_ROWS
    return talents["talent_id"].astype(str).tolist(), render_talents(talents), render_jobs(jobs)


@pytest.mark.parametrize("params", [BM25Params(), BM25Params(prune_from_docs=1_000)], ids=["all-terms", "pruned"])
def test_kernels_and_reference_give_the_same_top_200_on_the_demo(demo_texts, params):
    ids, talent_texts, job_texts = demo_texts
    native = BM25Index.build(ids[:4500], talent_texts[:4500], params)
    reference = BM25Index.build(ids[:4500], talent_texts[:4500], params, native=False)
    for index in (native, reference):  # a recent segment and a tombstone, as a serving index has
        index.add(ids[4500:], talent_texts[4500:])
        index.delete(ids[:1])
    np.testing.assert_array_equal(native.scores(job_texts), reference.scores(job_texts))
    allowed = np.random.default_rng(1).random(len(native.slots)) < 0.3
    for mask in (None, allowed):
        native_ids, native_scores = native.search(job_texts, TOP, mask)
        reference_ids, reference_scores = reference.search(job_texts, TOP, mask)
        assert (native_ids == reference_ids).all()
        np.testing.assert_array_equal(native_scores, reference_scores)
        assert (native_ids[:, -1] != None).mean() > 0.9  # noqa: E711 - full lists: the comparison covers 200
