"""The Encoder protocol, its sentence-transformers implementation and the loader (local directories only)."""
from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import numpy as np

from matcher.config import Settings
from matcher.embed.manifest import MANIFEST_NAME, file_sha256, manifest_hash, read_manifest

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

logger = logging.getLogger(__name__)

TRANSFORMER_BATCH_SIZE = 64
"""Texts per forward pass of a transformer model (e.g. bge-small-zh): activations grow with it."""
# Weights are left out of a foreign model's hash: hashing gigabytes on every load is too slow,
# and its config + tokenizer files already change whenever a different model is put there.
_WEIGHT_SUFFIXES = frozenset({".safetensors", ".bin", ".pt", ".pth", ".onnx", ".h5", ".msgpack", ".ot"})


class ModelNotFoundError(FileNotFoundError):
    """The configured model is not a local directory (matcher never downloads models)."""


class ModelIntegrityError(ValueError):
    """A model directory's files do not match the hashes its manifest recorded."""


@runtime_checkable
class Encoder(Protocol):
    """Turns texts into unit vectors; indexes record ``manifest_hash`` to detect a model change."""

    @property
    def dim(self) -> int: ...

    @property
    def manifest_hash(self) -> str: ...

    def encode(self, texts: Sequence[str], batch_size: int = ...) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised; a static model gives a zero row for a
        text with no piece it knows (e.g. "" or only punctuation). Each implementation picks the
        default ``batch_size`` that suits it."""
        ...


class SentenceTransformerEncoder:
    """Any local sentence-transformers model directory: the default static model or e.g. bge-small-zh."""

    def __init__(self, model: SentenceTransformer, manifest_hash: str, path: Path) -> None:
        self._model = model
        self._manifest_hash = manifest_hash
        self.path = path
        dimension = getattr(model, "get_embedding_dimension", model.get_sentence_embedding_dimension)()
        if not dimension:
            raise ValueError(f"{path}: the model does not declare its embedding dimension")
        self._dim = int(dimension)

    @classmethod
    def load(cls, path: str | Path) -> SentenceTransformerEncoder:
        """Load from a local directory, never from a hub; checks the files against our manifest if present."""
        path = require_model_directory(path)
        fingerprint = model_fingerprint(path)
        from sentence_transformers import SentenceTransformer

        # local_files_only keeps transformers/huggingface_hub off the network without touching env vars.
        model = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        # The static model is stored as float16 to halve its size; CPU arithmetic wants float32.
        model.float()
        model.eval()
        logger.info("loaded encoder %s (manifest %s)", path, fingerprint[:12])
        return cls(model, fingerprint, path)

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def manifest_hash(self) -> str:
        return self._manifest_hash

    def encode(self, texts: Sequence[str], batch_size: int = TRANSFORMER_BATCH_SIZE) -> np.ndarray:
        """(len(texts), dim) float32, rows L2-normalised."""
        if len(texts) == 0:
            return np.zeros((0, self._dim), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=batch_size,
            convert_to_numpy=True,
            normalize_embeddings=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


def require_model_directory(path: str | Path) -> Path:
    """``path`` as a Path if it is a directory; otherwise fail before anything could try a hub."""
    path = Path(path)
    if not path.is_dir():
        raise ModelNotFoundError(
            f"model path {str(path)!r} is not a directory. matcher loads models only from local "
            "directories; it never downloads from a model hub. Run `matcher model build` to build "
            "the default model, or point MATCHER_MODEL_PATH at a directory holding a "
            "sentence-transformers model."
        )
    return path


def model_fingerprint(path: Path) -> str:
    """Hash identifying a model directory's content.

    With our ``manifest.json``: its files are checked against the recorded sha256 (a mismatch
    raises :class:`ModelIntegrityError`) and the hash is that of the manifest. Without one
    (a user's own model): the hash of its non-weight files (configs, tokenizer, vocab).
    """
    manifest_path = Path(path) / MANIFEST_NAME
    if not manifest_path.is_file():
        return _config_files_hash(Path(path))
    manifest = read_manifest(manifest_path)
    for relative, expected in manifest.get("files", {}).items():
        file = Path(path) / relative
        if not file.is_file():
            raise ModelIntegrityError(f"{file}: listed in {manifest_path} but missing; rebuild the model")
        if file_sha256(file) != expected:
            raise ModelIntegrityError(
                f"{file}: sha256 differs from {manifest_path}; the model was changed after it was built. "
                "Rebuild it (`matcher model build`) or remove the manifest if the change was intended."
            )
    return manifest_hash(manifest)


def _config_files_hash(path: Path) -> str:
    digest = hashlib.sha256()
    for file in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix not in _WEIGHT_SUFFIXES):
        digest.update(f"{file.relative_to(path).as_posix()}\0{file_sha256(file)}\n".encode())
    return digest.hexdigest()


def open_encoder(path: str | Path) -> Encoder:
    """The fastest encoder for a local model directory: :class:`StaticEncoder` for static-embedding
    models (no torch), :class:`SentenceTransformerEncoder` for anything else (e.g. bge-small-zh)."""
    # Imported here: static_encoder builds on this module's errors and fingerprint.
    from matcher.embed.static_encoder import StaticEncoder, is_static_model

    path = require_model_directory(path)
    return StaticEncoder.load(path) if is_static_model(path) else SentenceTransformerEncoder.load(path)


def load_encoder(settings: Settings) -> Encoder:
    """The one entry point: the configured model, building the default one on first use.

    A missing default model (``<data_dir>/models/static-zh``) is built (a few minutes, once);
    a missing ``MATCHER_MODEL_PATH`` is an error, since matcher cannot know how to make it.
    """
    path = settings.resolved_model_path
    if settings.model_path is None and not path.exists():
        from matcher.embed.static_model import build_static_model

        logger.warning("default model %s not found; building it now (takes a few minutes, once)", path)
        build_static_model(path)
    return open_encoder(path)
