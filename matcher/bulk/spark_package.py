"""The driver's own ``matcher`` package and catalogues, zipped and shipped to Spark executors so they run the
driver's code on the driver's reference data.

Executors unpickle the broadcast job side and the talent batches into matcher's classes and run
``matcher.bulk.spark``'s partition function, so they import ``matcher``. Whatever an executor has installed
(nothing, an older release, a developer's editable checkout) must not decide which code ranks: the engine adds
this zip with ``SparkContext.addPyFile``, which puts it ahead of site-packages on every executor's
``sys.path``. Executors then need only the same Python minor version and matcher's dependencies.
The zip holds ``matcher/`` and ``catalogs/`` (explanations name regions, certificates... from the catalogues,
read by path: ``matcher.catalogs.catalog_dir`` extracts them beside the zip on an executor).

The zip is named by a hash of the package's files, built once per process while they are unchanged, and added
once per Spark application (adding one name from two paths is an error in Spark).
"""
from __future__ import annotations

import atexit
import hashlib
import shutil
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING

import matcher
from matcher.catalogs import CATALOG_DIR

if TYPE_CHECKING:
    from pyspark import SparkContext

PACKAGE_DIR = Path(matcher.__file__).resolve().parent
ZIP_TIMESTAMP = (1980, 1, 1, 0, 0, 0)
"""Every entry's time, so the same files make the same bytes."""

_LOCK = threading.Lock()
_BUILT: dict[str, Path] = {}
_SHIPPED: set[tuple[str, str]] = set()


def package_files(directory: Path) -> list[Path]:
    """Files under ``directory`` in path order: sources and data, never ``__pycache__`` (bytecode, numba)."""
    return sorted(p for p in directory.rglob("*") if p.is_file() and "__pycache__" not in p.parts)


def package_zip(package_dir: Path = PACKAGE_DIR, catalog_dir: Path = CATALOG_DIR) -> Path:
    """A zip holding ``<package>/...`` and ``catalogs/...`` at its root, named ``<package>-<content hash>.zip``;
    the same files give the same path for the life of this process."""
    entries = [(path.relative_to(package_dir.parent).as_posix(), path.read_bytes())
               for path in package_files(package_dir)]
    entries += [(f"catalogs/{path.relative_to(catalog_dir).as_posix()}", path.read_bytes())
                for path in package_files(catalog_dir)]
    digest = hashlib.sha256()
    for name, data in entries:
        digest.update(name.encode() + b"\0" + hashlib.sha256(data).digest())
    name = f"{package_dir.name}-{digest.hexdigest()[:16]}.zip"
    with _LOCK:
        if name not in _BUILT:
            _BUILT[name] = _write_zip(Path(_scratch_dir()) / name, entries)
        return _BUILT[name]


def ship_package(context: SparkContext) -> Path:
    """Adds the package's zip to ``context`` for its executors (once per application); returns the zip."""
    path = package_zip()
    key = (context.applicationId, path.name)
    with _LOCK:
        if key not in _SHIPPED:
            # The driver's own sys.path gains the zip too; its matcher is already imported from its tree and
            # submodules resolve through matcher.__path__, so the driver keeps running its tree.
            context.addPyFile(str(path))
            _SHIPPED.add(key)
    return path


def _write_zip(path: Path, entries: list[tuple[str, bytes]]) -> Path:
    tmp = path.with_suffix(".zip.tmp")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries:
            archive.writestr(zipfile.ZipInfo(name, ZIP_TIMESTAMP), data, zipfile.ZIP_DEFLATED)
    tmp.replace(path)
    return path


_SCRATCH: list[str] = []


def _scratch_dir() -> str:
    """One temp dir per process for the zips, removed at exit (Spark serves an added file from its path while
    the application runs)."""
    if not _SCRATCH:
        _SCRATCH.append(tempfile.mkdtemp(prefix="matcher-spark-package-"))
        atexit.register(shutil.rmtree, _SCRATCH[0], True)
    return _SCRATCH[0]
