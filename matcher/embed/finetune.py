"""Contrastive fine-tuning of a static model on catalogue pairs (title/certificate alias → occupation)."""
from __future__ import annotations

import logging
import random
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import torch

from matcher.catalogs import CATALOG_DIR
from matcher.embed.encoder import model_fingerprint
from matcher.embed.manifest import MANIFEST_NAME, library_versions, write_manifest
from matcher.embed.occupation_pairs import (
    OCCUPATION_CODE,
    POSITIVE,
    QUERY,
    RetrievalScores,
    occupation_documents,
    occupation_pairs,
    retrieval_scores,
    split_by_occupation,
)
from matcher.embed.static_model import MODEL_KIND, model_file_hashes, replace_directory

logger = logging.getLogger(__name__)

FINETUNED_KIND = f"{MODEL_KIND}-finetuned"


@dataclass(frozen=True)
class FinetuneConfig:
    """Training settings; recorded in the fine-tuned model's manifest."""

    epochs: int = 8
    batch_size: int = 64
    learning_rate: float = 0.02
    holdout: float = 0.2
    """Share of occupations whose pairs are kept out of training and scored before/after."""
    seed: int = 0
    catalog_dir: Path = CATALOG_DIR


def occupation_batches(pairs: pd.DataFrame, batch_size: int, rng: random.Random) -> list[list[int]]:
    """Shuffled row batches with at most one pair per occupation each.

    In-batch negatives are the other rows' documents, so two rows of one occupation in a batch
    would teach the model to push an occupation away from itself.
    """
    order = list(range(len(pairs)))
    rng.shuffle(order)
    codes = pairs[OCCUPATION_CODE].tolist()
    batches: list[tuple[list[int], set[str]]] = []
    for row in order:
        home = next((batch for batch in batches if len(batch[0]) < batch_size and codes[row] not in batch[1]), None)
        if home is None:
            home = ([], set())
            batches.append(home)
        home[0].append(row)
        home[1].add(codes[row])
    return [rows for rows, _ in batches if len(rows) > 1]


def _train(model, pairs: pd.DataFrame, config: FinetuneConfig) -> list[float]:
    """MultipleNegativesRankingLoss (in-batch negatives) over the pairs; returns the mean loss per epoch."""
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    loss_fn = MultipleNegativesRankingLoss(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
    rng = random.Random(config.seed)
    torch.manual_seed(config.seed)
    model.train()
    losses = []
    for epoch in range(config.epochs):
        total, steps = 0.0, 0
        for rows in occupation_batches(pairs, config.batch_size, rng):
            batch = pairs.iloc[rows]
            features = [model.preprocess(batch[QUERY].tolist()), model.preprocess(batch[POSITIVE].tolist())]
            loss = loss_fn(features, labels=None)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total, steps = total + float(loss), steps + 1
        losses.append(round(total / max(steps, 1), 4))
        logger.info("epoch %d/%d: loss %.4f", epoch + 1, config.epochs, losses[-1])
    model.eval()
    return losses


def _encode_with(model):
    def encode(texts):
        return model.encode(list(texts), batch_size=1024, normalize_embeddings=True, convert_to_numpy=True)

    return encode


def finetune_static_model(parent_dir: Path, out_dir: Path, config: FinetuneConfig = FinetuneConfig()) -> dict:
    """Fine-tune the static model in ``parent_dir`` into ``out_dir``; returns the new manifest.

    Whole occupations are held out (``config.holdout``); the manifest records MRR/recall on
    their pairs before and after training, so a fine-tune that does not help is visible.
    """
    from sentence_transformers import SentenceTransformer

    started = time.perf_counter()
    parent_hash = model_fingerprint(Path(parent_dir))
    model = SentenceTransformer(str(parent_dir), device="cpu", local_files_only=True).float()
    pairs = occupation_pairs(config.catalog_dir)
    train, test = split_by_occupation(pairs, config.holdout, config.seed)
    documents = occupation_documents(config.catalog_dir)
    before = retrieval_scores(_encode_with(model), test, documents)
    losses = _train(model, train, config)
    with torch.no_grad():
        model[0].embedding.weight[0].zero_()  # the unknown token must keep adding nothing
    after = retrieval_scores(_encode_with(model), test, documents)
    logger.info("held-out MRR %.3f → %.3f, recall@1 %.3f → %.3f", before.mrr, after.mrr,
                before.recall_at_1, after.recall_at_1)
    model.half()
    details = {
        "parent_manifest_hash": parent_hash, "parent_path": str(parent_dir),
        "data": {"pairs": len(pairs), "train_pairs": len(train), "test_pairs": len(test),
                 "occupations": int(pairs[OCCUPATION_CODE].nunique()), "catalogue_files": _pair_files(config)},
        "training": {**{k: v for k, v in asdict(config).items() if k != "catalog_dir"}, "loss_per_epoch": losses},
        "metrics": {"held_out_before": asdict(before), "held_out_after": asdict(after)},
    }
    return _save(model, Path(out_dir), details, started)


def _pair_files(config: FinetuneConfig) -> list[str]:
    from matcher.embed.occupation_pairs import PAIR_SOURCES

    return [name for name in PAIR_SOURCES if (Path(config.catalog_dir) / name).is_file()]


def _save(model, out_dir: Path, details: dict[str, Any], started: float) -> dict:
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        model.save(str(staging))
        manifest = {
            "kind": FINETUNED_KIND, **details, "dtype": "float16", "dims": model.get_embedding_dimension(),
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "build_seconds": round(time.perf_counter() - started, 1),
            "libraries": library_versions(), "files": model_file_hashes(staging),
        }
        write_manifest(staging / MANIFEST_NAME, manifest)
        replace_directory(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return manifest


__all__ = ["FinetuneConfig", "RetrievalScores", "finetune_static_model", "occupation_batches"]
