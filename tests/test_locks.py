"""The locks: readers share, a writer is alone, matching stays correct under threads; a file lock spans processes."""
from __future__ import annotations

import subprocess
import sys
import textwrap
import threading
from concurrent.futures import ThreadPoolExecutor

from matcher.locks import FileLock, ReadWriteLock
from matcher.pipeline import Matcher


def test_readers_share_the_lock():
    lock, both_inside = ReadWriteLock(), threading.Barrier(2, timeout=5)

    def read() -> None:
        with lock.reading():
            both_inside.wait()  # raises BrokenBarrierError if the readers could not be inside together

    threads = [threading.Thread(target=read) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not both_inside.broken


def test_a_writer_is_alone():
    lock, count, inside, overlaps = ReadWriteLock(), threading.Lock(), {"reading": 0, "writing": 0}, []

    def work(kind: str) -> None:
        for _ in range(200):
            with getattr(lock, kind)():
                with count:
                    inside[kind] += 1
                    overlaps.append(inside["writing"] > 1 or (inside["writing"] and inside["reading"]))
                with count:
                    inside[kind] -= 1

    with ThreadPoolExecutor(4) as pool:
        list(pool.map(work, ["reading", "writing", "reading", "writing"]))
    assert not any(overlaps)


def test_concurrent_matching_equals_sequential_matching(pipeline_settings):
    matcher = Matcher.open(pipeline_settings)
    ids = ["T-WELDER", "T-ELEC", "T-ACCT", "T-JAVA"] * 5
    expected = {i: [(m.id, m.score) for m in matcher.recommend([i])[i]] for i in set(ids)}

    def recommend(talent_id: str) -> tuple[str, list]:
        if talent_id == "T-JAVA":
            # An unchanged record: a write that must not disturb reads. A talent, not a job: rewriting a job
            # shifts the job index's BM25 statistics (a tombstone counts until compaction, as in Lucene), which
            # the rule score reads through the sparse ranks, so reads after it may legitimately differ.
            matcher.refresh_talents(["T-JAVA"])
        return talent_id, [(m.id, m.score) for m in matcher.recommend([talent_id])[talent_id]]

    with ThreadPoolExecutor(4) as pool:
        for talent_id, got in pool.map(recommend, ids):
            assert got == expected[talent_id]


def test_a_file_lock_excludes_other_holders_until_released(tmp_path):
    path = tmp_path / "sub" / "queue.lock"
    first, second = FileLock(path), FileLock(path)
    assert first.acquire(blocking=False) and first.held
    assert not second.acquire(blocking=False) and not second.held
    first.release()
    assert second.acquire(blocking=False)
    second.release()


def test_a_file_lock_is_freed_when_its_holder_process_dies(tmp_path):
    path = tmp_path / "queue.lock"
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time
        from matcher.locks import FileLock
        lock = FileLock({str(path)!r})
        assert lock.acquire()
        print("held", flush=True)
        time.sleep(60)
    """)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert not FileLock(path).acquire(blocking=False)
    finally:
        holder.kill()
        holder.wait()
    lock = FileLock(path)
    assert lock.acquire(blocking=False)
    lock.release()
