"""Re-ranking: match features, the LightGBM ranker, the cold-start rule score, explanations."""
from __future__ import annotations

DIRECTIONS = ("recommend", "candidates")
"""recommend: one talent's jobs (queries are talents); candidates: one job's talents (queries are jobs)."""
