"""Builds the default offline Chinese model: a sentence-transformers StaticEmbedding distilled from USE."""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from matcher.catalogs import CATALOG_DIR
from matcher.embed.catalogue_terms import catalogue_terms
from matcher.embed.distill import TEACHER_NAME, TEACHER_PACKAGE, distil, teacher_version
from matcher.embed.manifest import MANIFEST_NAME, file_sha256, library_versions, write_manifest
from matcher.embed.tokenizer_build import build_tokenizer
from matcher.embed.vocabulary import PROBABILITY, SOURCE, TOKEN, build_vocabulary

logger = logging.getLogger(__name__)

MODEL_KIND = "static-embedding"
DEFAULT_VOCAB_SIZE = 100_000


@dataclass(frozen=True)
class StaticModelConfig:
    """How to build the static model; recorded in its manifest."""

    vocab_size: int = DEFAULT_VOCAB_SIZE
    """How many of jieba's most frequent words; characters, ASCII and catalogue terms come on top."""
    dims: int = 256
    sif_a: float = 1e-4
    dtype: str = "float16"
    catalog_dir: Path = CATALOG_DIR


def build_static_model(out_dir: Path, config: StaticModelConfig = StaticModelConfig()) -> dict[str, Any]:
    """Build the model into ``out_dir`` (replaced atomically if present) and return its manifest.

    The directory is an ordinary sentence-transformers model (StaticEmbedding + Normalize)
    plus ``manifest.json``; any reader can load it with ``SentenceTransformer(out_dir)``.
    """
    import torch
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Normalize, StaticEmbedding

    started = time.perf_counter()
    terms, catalogue_files = catalogue_terms(config.catalog_dir)
    vocabulary = build_vocabulary(config.vocab_size, terms)
    pieces = vocabulary[TOKEN].tolist()
    logger.info("vocabulary: %d pieces (%s)", len(pieces), vocabulary[SOURCE].value_counts().to_dict())
    tokenizer = build_tokenizer(pieces, vocabulary[PROBABILITY].tolist())

    # Row 0 is the unknown token: embed the rest, keep its vector zero so it adds nothing to a mean.
    distilled = distil(pieces[1:], vocabulary[PROBABILITY].to_numpy()[1:], config.dims, config.sif_a)
    weights = np.zeros((len(pieces), config.dims), dtype=np.float32)
    weights[1:] = distilled.vectors
    static = StaticEmbedding(tokenizer, embedding_weights=torch.from_numpy(weights).to(getattr(torch, config.dtype)))
    model = SentenceTransformer(modules=[static, Normalize()], device="cpu")
    manifest = {
        "kind": MODEL_KIND,
        "teacher": {"name": TEACHER_NAME, "package": TEACHER_PACKAGE, "version": teacher_version()},
        "vocabulary": _vocabulary_summary(vocabulary, config.vocab_size, catalogue_files, len(terms)),
        "dims": config.dims,
        "pca_explained_variance": round(distilled.explained_variance, 6),
        "sif_a": config.sif_a,
        "dtype": config.dtype,
    }
    return save_model_directory(model, Path(out_dir), manifest, started)


def save_model_directory(model, out_dir: Path, manifest: dict[str, Any], started: float) -> dict[str, Any]:
    """Save ``model`` with ``manifest`` (plus build time, library versions, file hashes) into ``out_dir``.

    Written to a staging directory beside ``out_dir`` and swapped in, so a reader (or a crash)
    never sees half a model. Returns the manifest as written.
    """
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.", dir=out_dir.parent))
    try:
        model.save(str(staging))
        manifest = {
            **manifest,
            "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "build_seconds": round(time.perf_counter() - started, 1),
            "libraries": library_versions(),
            "files": model_file_hashes(staging),
        }
        write_manifest(staging / MANIFEST_NAME, manifest)
        replace_directory(staging, out_dir)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    logger.info("saved %s (%.0f s)", out_dir, manifest["build_seconds"])
    return manifest


def _vocabulary_summary(vocabulary, vocab_size: int, catalogue_files: list[str], term_count: int) -> dict:
    return {
        "source": "jieba dict.txt (most frequent words) + CJK characters + ASCII pieces + catalogue terms",
        "jieba_words_requested": vocab_size,
        "size": len(vocabulary),
        "by_source": {str(k): int(v) for k, v in vocabulary[SOURCE].value_counts().items()},
        "catalogue_files": catalogue_files,
        "catalogue_terms": term_count,
    }


def model_file_hashes(model_dir: Path) -> dict[str, str]:
    """sha256 of every file of a model directory except the manifest, keyed by relative POSIX path."""
    model_dir = Path(model_dir)
    return {
        path.relative_to(model_dir).as_posix(): file_sha256(path)
        for path in sorted(model_dir.rglob("*"))
        if path.is_file() and path.name != MANIFEST_NAME
    }


def replace_directory(staging: Path, target: Path) -> None:
    """Swap ``staging`` in as ``target``; a concurrent reader sees the old or the new model, never half."""
    if target.exists():
        retired = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, retired)
        os.replace(staging, target)
        shutil.rmtree(retired, ignore_errors=True)
    else:
        os.replace(staging, target)
