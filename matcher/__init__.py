"""matcher: talent–job matching for Henan's talent programmes."""
from __future__ import annotations

__version__ = "0.1.0"


def __getattr__(name: str):
    """``from matcher import Matcher`` without loading the pipeline (and its numerical stack) on ``import matcher``."""
    if name in {"Matcher", "Match", "Matches"}:
        from matcher import pipeline
        return getattr(pipeline, name)
    if name == "Settings":
        from matcher.config import Settings
        return Settings
    raise AttributeError(f"module 'matcher' has no attribute {name!r}")


__all__ = ["Match", "Matcher", "Matches", "Settings", "__version__"]
