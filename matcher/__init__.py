"""matcher: talent–job matching for Henan's talent programmes."""
from __future__ import annotations

__version__ = "0.1.0"
