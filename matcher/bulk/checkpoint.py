"""The restart record of a bulk run: the pool snapshot it was started for and its completed batches."""
from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from matcher.files import write_text_atomic

CHECKPOINT_FILE = "checkpoint.json"


class CheckpointMismatch(RuntimeError):
    """The output directory holds a checkpoint of a different pool or different parameters."""


def ids_hash(ids: Sequence[str]) -> str:
    """sha256 over the ordered ids (newline-separated): the same pool in the same order, or not."""
    digest = hashlib.sha256()
    for value in ids:
        digest.update(value.encode("utf-8") + b"\n")
    return digest.hexdigest()


@dataclass
class Checkpoint:
    path: Path
    snapshot: dict
    completed: set[int] = field(default_factory=set)

    @classmethod
    def open(cls, out_dir: Path, snapshot: dict, restart: bool) -> Checkpoint:
        """The checkpoint in out_dir for this snapshot; a fresh one if absent or ``restart``.

        Raises CheckpointMismatch when a checkpoint for another snapshot exists and ``restart`` is false.
        """
        path = out_dir / CHECKPOINT_FILE
        if restart or not path.exists():
            return cls(path, snapshot)
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved.get("snapshot") != snapshot:
            changed = sorted(k for k in {*snapshot, *saved.get("snapshot", {})}
                             if snapshot.get(k) != saved.get("snapshot", {}).get(k))
            raise CheckpointMismatch(f"{path} was written for a different pool or parameters (differs in: "
                                     f"{', '.join(changed)}); use the same command, another --out, or --restart")
        return cls(path, snapshot, set(saved.get("completed", [])))

    def mark_done(self, batch: int) -> None:
        """Record a batch whose part file is already in place (temp file + os.replace: never half-written)."""
        self.completed.add(batch)
        body = {"snapshot": self.snapshot, "completed": sorted(self.completed)}
        write_text_atomic(self.path, json.dumps(body, ensure_ascii=False, indent=1))
