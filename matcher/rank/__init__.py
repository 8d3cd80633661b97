"""Re-ranking: match features, the LightGBM ranker, the cold-start rule score, explanations."""
from __future__ import annotations
