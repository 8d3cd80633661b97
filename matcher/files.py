"""Small files written whole or not at all: a reader, or the next start after a crash, never sees half a file."""
from __future__ import annotations

import os
from pathlib import Path


def write_text_atomic(path: Path, text: str) -> None:
    """``text`` into ``path`` through ``<name>.tmp`` beside it and ``os.replace``."""
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
