"""Memory given back: read pages of unwritten file maps are dropped (and read again unchanged), written ones kept."""
from __future__ import annotations

import sys

import numpy as np
import pytest

from matcher.index.mapped import load_array
from matcher.memory import _unwritten_maps, drop_read_pages, release_unused

linux_only = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self")


def resident_file_mb() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("RssFile:"):
            return int(line.split()[1]) / 1024
    raise AssertionError("no RssFile in /proc/self/status")


def test_only_maps_of_files_under_the_directory_without_written_pages_are_chosen():
    smaps = """\
7f0000000000-7f0000100000 r--p 00000000 fd:01 11 /data/index/talent/texts.bin
Size:               1024 kB
Anonymous:             0 kB
7f0000100000-7f0000200000 rw-p 00000000 fd:01 12 /data/index/talent/profile.npy
Size:               1024 kB
Anonymous:             8 kB
7f0000200000-7f0000300000 r-xp 00000000 fd:01 13 /usr/lib/libc.so.6
Anonymous:             0 kB
7f0000300000-7f0000400000 rw-p 00000000 00:00 0
Anonymous:           512 kB
7f0000400000-7f0000500000 rw-p 00000000 fd:01 14 /data/index/job/with space.npy
Anonymous:             0 kB
"""
    assert _unwritten_maps(smaps, "/data/index/") == [(0x7F0000000000, 0x7F0000100000),
                                                      (0x7F0000400000, 0x7F0000500000)]


@linux_only
def test_read_pages_of_a_map_are_dropped_and_read_again_unchanged(tmp_path):
    np.save(tmp_path / "vectors.npy", np.arange(16 * 2**20, dtype=np.float32))  # 64 MB
    array = load_array(tmp_path / "vectors.npy")
    total = float(array.sum())  # every page read
    before = resident_file_mb()
    assert drop_read_pages(tmp_path) >= 1
    assert before - resident_file_mb() >= 48
    assert float(array.sum()) == total


@linux_only
def test_a_map_holding_a_written_page_keeps_it(tmp_path):
    np.save(tmp_path / "postings.npy", np.zeros(2**20, dtype=np.float32))
    array = load_array(tmp_path / "postings.npy")  # copy-on-write: the write stays in this process
    array[123] = 7.0
    release_unused(tmp_path)
    assert array[123] == 7.0
    assert np.load(tmp_path / "postings.npy")[123] == 0.0
