"""Reference catalogues (regions, occupations, certificates, industries, education) loaded from catalogs/."""
from __future__ import annotations

from pathlib import Path

CATALOG_DIR = Path(__file__).resolve().parents[2] / "catalogs"
"""The checked-in reference data; see catalogs/SOURCES.md for where each file came from."""
