"""Catalogue retrieval pairs, their scoring, and contrastive fine-tuning of the tiny static model."""
from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from matcher.embed.encoder import SentenceTransformerEncoder
from matcher.embed.finetune import FINETUNED_KIND, FinetuneConfig, finetune_static_model, occupation_batches
from matcher.embed.manifest import MANIFEST_NAME, read_manifest
from matcher.embed.occupation_pairs import (
    OCCUPATION_CODE,
    POSITIVE,
    QUERY,
    occupation_documents,
    occupation_pairs,
    retrieval_scores,
    split_by_occupation,
)
from tests.conftest import FIXTURE_CATALOGS


def test_pairs_tie_aliases_to_their_occupation_document() -> None:
    pairs = occupation_pairs(FIXTURE_CATALOGS)
    welder = pairs[pairs[QUERY] == "电焊工人"]
    assert welder[OCCUPATION_CODE].tolist() == ["6-18-02-04"]
    assert welder[POSITIVE].iloc[0].startswith("焊工：使用焊机")
    assert len(occupation_documents(FIXTURE_CATALOGS)) == 5


def test_split_keeps_each_occupation_on_one_side() -> None:
    pairs = occupation_pairs(FIXTURE_CATALOGS)
    train, test = split_by_occupation(pairs, holdout=0.4, seed=3)
    assert set(train[OCCUPATION_CODE]).isdisjoint(test[OCCUPATION_CODE])
    assert test[OCCUPATION_CODE].nunique() == 2 and len(train) + len(test) == len(pairs)


def test_retrieval_scores_known_ranks() -> None:
    vectors = {"d1": [1, 0, 0], "d2": [0, 1, 0], "d3": [0, 0, 1]}
    vectors |= {"q1": [1, 0, 0], "q2": [0.6, 0.8, 0], "q3": [0.6, 0.5, 0.4]}

    def encode(texts):
        rows = np.array([vectors[text] for text in texts], dtype=np.float32)
        return rows / np.linalg.norm(rows, axis=1, keepdims=True)

    documents = pd.DataFrame({OCCUPATION_CODE: ["a", "b", "c"], POSITIVE: ["d1", "d2", "d3"]})
    pairs = pd.DataFrame({QUERY: ["q1", "q2", "q3"], OCCUPATION_CODE: ["a", "a", "c"]})
    scores = retrieval_scores(encode, pairs, documents)  # ranks 1, 2, 3
    assert scores.queries == 3
    assert scores.mrr == pytest.approx((1 + 1 / 2 + 1 / 3) / 3)
    assert scores.recall_at_1 == pytest.approx(1 / 3) and scores.recall_at_10 == 1.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_batches_hold_at_most_one_pair_per_occupation(seed: int) -> None:
    pairs = pd.DataFrame({OCCUPATION_CODE: ["a", "a", "b", "b", "c", "c"]})
    batches = occupation_batches(pairs, batch_size=3, rng=random.Random(seed))
    assert [sorted(pairs[OCCUPATION_CODE].iloc[rows]) for rows in batches] == [["a", "b", "c"]] * 2
    assert sorted(row for rows in batches for row in rows) == list(range(6))


def test_batches_without_a_negative_are_dropped() -> None:
    pairs = pd.DataFrame({OCCUPATION_CODE: ["a", "a", "a"]})
    assert occupation_batches(pairs, batch_size=3, rng=random.Random(0)) == []


def test_finetune_fits_training_pairs_and_records_its_parent(tiny_model_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "tiny-ft"
    config = FinetuneConfig(epochs=5, learning_rate=1e-2, catalog_dir=FIXTURE_CATALOGS)
    manifest = finetune_static_model(tiny_model_dir, out, config)
    parent = SentenceTransformerEncoder.load(tiny_model_dir)
    assert manifest["kind"] == FINETUNED_KIND
    assert manifest["parent_manifest_hash"] == parent.manifest_hash
    assert manifest["data"]["train_pairs"] + manifest["data"]["test_pairs"] == manifest["data"]["pairs"]
    assert len(manifest["training"]["loss_per_epoch"]) == 5
    before, after = manifest["metrics"]["before"], manifest["metrics"]["after"]
    assert after["train"]["mrr"] > before["train"]["mrr"] + 0.05
    assert set(after["held_out"]) == {"queries", "mrr", "recall_at_1", "recall_at_10"}

    tuned = SentenceTransformerEncoder.load(out)
    assert read_manifest(out / MANIFEST_NAME) == manifest
    assert tuned.manifest_hash != parent.manifest_hash and tuned.dim == parent.dim
    assert not tuned.encode(["", "é"]).any()  # the unknown token still adds nothing
