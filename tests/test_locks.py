"""The readers–writer lock: readers share, a writer is alone, and matching stays correct under threads."""
from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

from matcher.locks import ReadWriteLock
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
            matcher.refresh_jobs(["J-JAVA-ZZ"])  # an unchanged record: a write that must not disturb reads
        return talent_id, [(m.id, m.score) for m in matcher.recommend([talent_id])[talent_id]]

    with ThreadPoolExecutor(4) as pool:
        for talent_id, got in pool.map(recommend, ids):
            assert got == expected[talent_id]
