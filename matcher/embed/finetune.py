"""Contrastive fine-tuning of a static model on catalogue pairs (title/certificate alias → occupation)."""
from __future__ import annotations

import logging
import random
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from matcher.catalogs import CATALOG_DIR
from matcher.embed.encoder import model_fingerprint
from matcher.embed.occupation_pairs import (
    OCCUPATION_CODE,
    PAIR_SOURCES,
    POSITIVE,
    QUERY,
    occupation_documents,
    occupation_pairs,
    retrieval_scores,
    split_by_occupation,
)
from matcher.embed.static_model import MODEL_KIND, save_model_directory

logger = logging.getLogger(__name__)

FINETUNED_KIND = f"{MODEL_KIND}-finetuned"


@dataclass(frozen=True)
class FinetuneConfig:
    """Training settings; recorded in the fine-tuned model's manifest."""

    # Chosen on a validation split of the training occupations: at lr 1e-3 validation MRR rose
    # for ~5 epochs and then flattened; at 3e-3 it peaked after 3 and fell; a dense Adam at 2e-2
    # overfit the ~1,800 pairs and dropped held-out MRR from 0.43 to 0.27.
    epochs: int = 5
    batch_size: int = 64
    learning_rate: float = 1e-3
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
    import torch
    from sentence_transformers.sentence_transformer.losses import MultipleNegativesRankingLoss

    loss_fn = MultipleNegativesRankingLoss(model)
    # Sparse gradients: each step touches only the rows of the tokens in its batch, so one step
    # costs milliseconds instead of an Adam update of the whole 100k x 256 table.
    model[0].embedding.sparse = True
    optimizer = torch.optim.SparseAdam(list(model[0].parameters()), lr=config.learning_rate)
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
            total, steps = total + float(loss.detach()), steps + 1
        losses.append(round(total / max(steps, 1), 4))
        logger.info("epoch %d/%d: loss %.4f", epoch + 1, config.epochs, losses[-1])
    model[0].embedding.sparse = False
    model.eval()
    return losses


def _scores(model, splits: dict[str, pd.DataFrame], documents: pd.DataFrame) -> dict[str, dict[str, float]]:
    """Retrieval scores of each split's pairs against all occupation documents, as plain dicts."""

    def encode(texts):
        return model.encode(
            list(texts), batch_size=1024, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False
        )

    return {name: asdict(retrieval_scores(encode, pairs, documents)) for name, pairs in splits.items()}


def finetune_static_model(parent_dir: Path, out_dir: Path, config: FinetuneConfig = FinetuneConfig()) -> dict:
    """Fine-tune the static model in ``parent_dir`` into ``out_dir``; returns the new manifest.

    Whole occupations are held out (``config.holdout``); the manifest records MRR/recall on
    their pairs before and after training, so a fine-tune that does not help is visible.
    """
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import StaticEmbedding

    started = time.perf_counter()
    parent_hash = model_fingerprint(Path(parent_dir))
    model = SentenceTransformer(str(parent_dir), device="cpu", local_files_only=True).float()
    if not isinstance(model[0], StaticEmbedding):
        raise ValueError(f"{parent_dir}: fine-tuning needs a StaticEmbedding model, found {type(model[0]).__name__}")
    pairs = occupation_pairs(config.catalog_dir)
    train, test = split_by_occupation(pairs, config.holdout, config.seed)
    documents = occupation_documents(config.catalog_dir)
    before = _scores(model, {"train": train, "held_out": test}, documents)
    losses = _train(model, train, config)
    with torch.no_grad():
        model[0].embedding.weight[0].zero_()  # the unknown token must keep adding nothing
    after = _scores(model, {"train": train, "held_out": test}, documents)
    logger.info("held-out MRR %.3f → %.3f", before["held_out"]["mrr"], after["held_out"]["mrr"])
    model.half()
    manifest = {
        "kind": FINETUNED_KIND, "dims": model[0].embedding_dim, "dtype": "float16",
        "parent_manifest_hash": parent_hash, "parent_path": str(parent_dir),
        "data": {"pairs": len(pairs), "train_pairs": len(train), "test_pairs": len(test),
                 "occupations": int(pairs[OCCUPATION_CODE].nunique()), "catalogue_files": _pair_files(config)},
        "training": {**{k: v for k, v in asdict(config).items() if k != "catalog_dir"}, "loss_per_epoch": losses},
        "metrics": {"before": before, "after": after},
    }
    return save_model_directory(model, Path(out_dir), manifest, started)


def _pair_files(config: FinetuneConfig) -> list[str]:
    return [name for name in PAIR_SOURCES if (Path(config.catalog_dir) / name).is_file()]
