"""The field evaluation: hand-written bureau registers, catalogues and colloquial descriptions with fit
labels, matched through the real import and ``Matcher`` path and scored per channel."""
from __future__ import annotations
