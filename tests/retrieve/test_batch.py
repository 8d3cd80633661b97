"""Retrieval of a batch equals its queries retrieved one at a time (a batch of one each): same candidates, channel
values and order for every query; the fusion against a plain oracle."""
from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from matcher.embed.render import render_talents
from matcher.retrieve import CandidatePool, RetrievalConfig, retrieve
from matcher.retrieve.fusion import CANDIDATE_COLUMNS, QUERY, fuse_ranked
from matcher.retrieve.hybrid import retrieve_batch as retrieve_columns
from tests.retrieve.conftest import JOBS, TALENTS
from tests.retrieve.frames import channel_frame, fuse

BATCH_COLUMNS = (QUERY, *CANDIDATE_COLUMNS)


def retrieve_batch(*args, **kwargs) -> pd.DataFrame:
    """retrieve_batch's columns as a frame, to compare and select by query."""
    return pd.DataFrame(retrieve_columns(*args, **kwargs), columns=list(BATCH_COLUMNS))


def _per_query(pool, texts, vectors, config, allowed_ids=None) -> pd.DataFrame:
    frames = []
    for q, (text, vector) in enumerate(zip(texts, vectors, strict=True)):
        found = retrieve(pool, text, vector, None, config)
        if allowed_ids is not None:
            found = found[found["candidate_id"].isin(allowed_ids)]
        frames.append(found.assign(**{QUERY: q}))
    return pd.concat(frames, ignore_index=True)[list(BATCH_COLUMNS)]


@pytest.mark.parametrize("limit", [None, 2])
def test_batch_equals_one_query_at_a_time(job_pool, encoder, limit):
    texts = render_talents(TALENTS) + ["", "焊工 护士"]
    vectors = encoder.encode(texts)
    config = RetrievalConfig(per_channel=4, limit=limit)
    batch = retrieve_batch(job_pool, texts, vectors, config)
    oracle = _per_query(job_pool, texts, vectors, config)
    pd.testing.assert_frame_equal(batch.reset_index(drop=True), oracle, check_dtype=False)
    assert batch.loc[batch[QUERY] == 0, "candidate_id"].iloc[0] == "J1"  # the welder's welding job


def test_zero_vector_rows_skip_only_their_own_dense_channel(job_pool, encoder):
    texts = ["焊工 氩弧焊", "焊工 氩弧焊"]
    vectors = encoder.encode(texts)
    vectors[1] = 0
    batch = retrieve_batch(job_pool, texts, vectors, RetrievalConfig(per_channel=6))
    assert batch.loc[batch[QUERY] == 0, "dense_rank"].notna().any()
    assert batch.loc[batch[QUERY] == 1, "dense_rank"].isna().all()


def test_allowed_ids_restrict_both_channels(job_pool, encoder):
    texts = render_talents(TALENTS)
    batch = retrieve_batch(job_pool, texts, encoder.encode(texts), RetrievalConfig(per_channel=6),
                           allowed={"J3", "J4"})
    assert set(batch["candidate_id"]) <= {"J3", "J4"} and len(batch)


def _rrf_oracle(dense_ids, dense_scores, sparse_ids, sparse_scores, k) -> pd.DataFrame:
    """RRF for one query written the plain way, with the documented tie rules, to check the numpy fusion."""
    rows: dict[str, dict] = {}
    for ids, scores, channel in ((dense_ids, dense_scores, "dense"), (sparse_ids, sparse_scores, "sparse")):
        for rank, (cid, score) in enumerate(zip(ids, scores, strict=True), start=1):
            if cid is not None:
                rows.setdefault(cid, {"candidate_id": cid})
                rows[cid].update({f"{channel}_score": float(score), f"{channel}_rank": float(rank)})
    table = pd.DataFrame(list(rows.values()), columns=["candidate_id", "dense_score", "dense_rank", "sparse_score",
                                                       "sparse_rank"])
    table["fused_score"] = sum(np.nan_to_num(1.0 / (k + table[c].astype(float)), nan=0.0)
                               for c in ("dense_rank", "sparse_rank"))
    table["best"] = np.fmin(table["dense_rank"].astype(float), table["sparse_rank"].astype(float))
    table = table.sort_values(["fused_score", "best", "candidate_id"], ascending=[False, True, True])
    table["fused_rank"] = np.arange(1, len(table) + 1)
    return table.drop(columns="best").reset_index(drop=True)


def test_fusion_on_random_channels_with_ties_equals_a_plain_oracle():
    rng = np.random.default_rng(3)
    names = np.array([f"C{i:02d}" for i in range(30)], dtype=object)
    q, k = 40, 8
    dense_ids, sparse_ids = np.full((q, k), None, dtype=object), np.full((q, k), None, dtype=object)
    dense_scores, sparse_scores = np.full((q, k), -np.inf, np.float32), np.full((q, k), -np.inf, np.float32)
    for row in range(q):
        for ids, scores in ((dense_ids, dense_scores), (sparse_ids, sparse_scores)):
            found = rng.integers(0, k + 1)  # some queries find nothing in a channel
            ids[row, :found] = rng.choice(names, found, replace=False)
            scores[row, :found] = np.sort(rng.choice([0.1, 0.5, 0.9], found))[::-1]
    batch = pd.DataFrame(fuse_ranked(dense_ids, dense_scores, sparse_ids, sparse_scores, k=60),
                         columns=list(BATCH_COLUMNS))
    for row in range(q):
        one = _rrf_oracle(dense_ids[row], dense_scores[row], sparse_ids[row], sparse_scores[row], 60)
        mine = batch[batch[QUERY] == row].drop(columns=QUERY).reset_index(drop=True)
        pd.testing.assert_frame_equal(mine, one, check_dtype=False)
        single = fuse(channel_frame(dense_ids[row], dense_scores[row], "dense_score", "dense_rank"),
                      channel_frame(sparse_ids[row], sparse_scores[row], "sparse_score", "sparse_rank"), 60)
        pd.testing.assert_frame_equal(single, one, check_dtype=False)


def test_a_pool_with_deletions_never_returns_deleted_ids(encoder):
    pool = CandidatePool.build("job", JOBS, encoder.encode(["x"] * len(JOBS)) * 0 + 1 / 8,
                               encoder_hash=encoder.manifest_hash)
    pool.delete(["J1"])
    texts = render_talents(TALENTS)
    batch = retrieve_batch(pool, texts, encoder.encode(texts), RetrievalConfig(per_channel=6))
    assert "J1" not in set(batch["candidate_id"])


def test_filters_restrict_both_channels_as_for_one_query(job_pool, encoder):
    from matcher.retrieve.filters import RetrievalFilters

    texts = render_talents(TALENTS)
    zhoukou = RetrievalFilters(region_codes=("411600",))
    batch = retrieve_batch(job_pool, texts, encoder.encode(texts), RetrievalConfig(per_channel=6), filters=zhoukou)
    oracle = pd.concat([retrieve(job_pool, t, v, zhoukou, RetrievalConfig(per_channel=6)).assign(**{QUERY: q})
                        for q, (t, v) in enumerate(zip(texts, encoder.encode(texts), strict=True))],
                       ignore_index=True)[list(BATCH_COLUMNS)]
    pd.testing.assert_frame_equal(batch, oracle, check_dtype=False)
    assert len(batch) and set(batch["candidate_id"]) < set(JOBS["job_id"])
    with pytest.raises(ValueError, match="not both"):
        retrieve_batch(job_pool, texts, encoder.encode(texts), allowed={"J3"}, filters=zhoukou)
