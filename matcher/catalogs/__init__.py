"""Reference catalogues (regions, occupations, certificates, industries, education) loaded from catalogs/."""
from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
from pathlib import Path


def catalog_dir(package_parent: Path) -> Path:
    """``catalogs/`` beside the ``matcher`` package. When the package is imported from a zip (Spark executors
    import the driver's shipped zip, ``matcher.bulk.spark_package``), ``package_parent`` is that zip: its
    ``catalogs/`` is extracted once into ``<zip>.catalogs/`` beside it, since the catalogues are read by path."""
    if not package_parent.is_file():
        return package_parent / "catalogs"
    target = package_parent.with_name(package_parent.name + ".catalogs")
    if not target.is_dir():
        _extract_catalogs(package_parent, target)
    return target / "catalogs"


def _extract_catalogs(archive: Path, target: Path) -> None:
    """Extracted into a fresh dir, then renamed into place: Python workers of one executor may race here."""
    scratch = Path(tempfile.mkdtemp(prefix=".catalogs-", dir=target.parent))
    with zipfile.ZipFile(archive) as package:
        package.extractall(scratch, [name for name in package.namelist() if name.startswith("catalogs/")])
    try:
        os.rename(scratch, target)
    except OSError:  # another worker got there first: use its copy
        shutil.rmtree(scratch, ignore_errors=True)


CATALOG_DIR = catalog_dir(Path(__file__).resolve().parents[2])
"""The checked-in reference data; see catalogs/SOURCES.md for where each file came from."""
