"""Benchmark retrieval: FAISS build/memory/latency/recall, talent→jobs latency, BM25 build and query, hybrid
retrieval with fusion (bulk batches and single queries).

Vectors are synthetic unit vectors drawn around topic centres (like embeddings of occupations;
``--data random`` gives the uniform worst case for ANN). BM25 indexes rendered demo talents and
queries with rendered demo jobs. Memory is the RSS delta read from /proc/self/status. Latency is
one query per call (one job at a time, as the API serves it) on ``--threads`` FAISS threads.
``hybrid`` times the whole of retrieval as bulk runs and the API call it (both channels, fused), on demo texts
with synthetic vectors: ``retrieve_batch`` of talents against the 243 demo jobs, and one job's ``retrieve`` over
``n`` talents. ``demo_quality`` adds encoder throughput and recall/MRR on demo outcomes when a model is present.

    python scripts/bench_retrieval.py --sizes 10000,100000 --json bench.json
"""
from __future__ import annotations

import argparse
import gc
import json
import logging
import time
from collections.abc import Callable
from pathlib import Path

import faiss
import numpy as np

from matcher.embed.render import render_jobs, render_talents
from matcher.index.faiss_choice import DEFAULT_ANN_FACTORY, IndexTuning
from matcher.index.faiss_index import VectorIndex
from matcher.index.sparse import BM25Index

logger = logging.getLogger("bench_retrieval")
ENCODER_HASH = "bench-synthetic"
FILTER_SHARES = (0.3, 0.05, 0.005)  # a province, a city, a county
RELEVANT_KINDS = ("applied", "interviewed", "hired")


def rss_mb() -> float:
    """Resident set size of this process in MB, from /proc/self/status."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def unit_vectors(rng: np.random.Generator, n: int, dim: int, data: str, topics: int = 2000,
                 spread: float = 0.6) -> np.ndarray:
    """(n, dim) float32 unit rows around ``topics`` fixed centres (cosine ~0.7 within one), or uniform."""
    rows = rng.standard_normal((n, dim), dtype=np.float32)
    if data == "clustered":
        centres = np.random.default_rng(12345).standard_normal((topics, dim), dtype=np.float32)
        centres /= np.linalg.norm(centres, axis=1, keepdims=True)
        rows *= spread / np.sqrt(dim)
        rows += centres[rng.integers(0, topics, n)]
    rows /= np.linalg.norm(rows, axis=1, keepdims=True)
    return rows


def latencies_ms(search: Callable[[np.ndarray], object], queries: np.ndarray) -> dict[str, float]:
    """p50 / p99 / mean milliseconds of one ``search`` call per query row (after one warm-up call)."""
    search(queries[:1])
    times = []
    for row in range(len(queries)):
        start = time.perf_counter()
        search(queries[row:row + 1])
        times.append((time.perf_counter() - start) * 1e3)
    return {"p50_ms": round(float(np.percentile(times, 50)), 3),
            "p99_ms": round(float(np.percentile(times, 99)), 3), "mean_ms": round(float(np.mean(times)), 3)}


def recall_at(found: np.ndarray, exact: np.ndarray) -> float:
    hits = sum(len(set(f) & set(e)) for f, e in zip(found.tolist(), exact.tolist(), strict=True))
    return round(hits / exact.size, 4)


def build_measured(build: Callable[[], object]) -> tuple[object, dict[str, float]]:
    """Run ``build``; return its result with wall time and resident-memory growth."""
    gc.collect()
    before, start = rss_mb(), time.perf_counter()
    built = build()
    return built, {"build_s": round(time.perf_counter() - start, 2), "memory_mb": round(rss_mb() - before, 1)}


def search_figures(index: VectorIndex, queries: np.ndarray, n: int, rng: np.random.Generator,
                   filtered: bool = True) -> dict[str, object]:
    """k=10 and k=200 latency, plus k=200 under filters allowing each of FILTER_SHARES."""
    figures: dict[str, object] = {"k10": latencies_ms(lambda q: index.search(q, 10), queries),
                                  "k200": latencies_ms(lambda q: index.search(q, 200), queries)}
    for share in FILTER_SHARES if filtered else ():
        mask = rng.random(n) < share
        figures[f"k200_allowed_{share:g}"] = latencies_ms(lambda q, m=mask: index.search(q, 200, allowed=m), queries)
    return figures


def bench_dense(n: int, args: argparse.Namespace, rng: np.random.Generator) -> dict[str, object]:
    """Exact vs each ANN factory at ``n`` vectors: build, memory, latency, recall@10 against exact."""
    ids = np.char.add("t", np.arange(n).astype(str)).tolist()
    vectors = unit_vectors(rng, n, args.dim, args.data)
    queries = unit_vectors(rng, args.queries, args.dim, args.data)
    flat, stats = build_measured(lambda: VectorIndex.build(ids, vectors, encoder_hash=ENCODER_HASH, factory="Flat"))
    truth = flat.search(queries, 10)[0]
    few = queries[: max(30, args.queries // (n // 10_000 or 1))]  # exact search at 1M is slow to time
    result: dict[str, object] = {"n": n, "Flat": {**stats, **search_figures(flat, few, n, rng, filtered=False)}}
    logger.info("n=%d Flat: %s", n, result["Flat"])
    del flat
    tuning = IndexTuning(ef_construction=args.ef_construction, ef_search=args.ef_search, nprobe=args.nprobe)
    for factory in args.ann_factories:
        index, stats = build_measured(lambda f=factory: VectorIndex.build(
            ids, vectors, encoder_hash=ENCODER_HASH, factory=f, tuning=tuning))
        result[factory] = {"factory": index.factory, **stats,
                           "recall_at_10": recall_at(index.search(queries, 10)[0], truth),
                           **search_figures(index, queries, n, rng)}
        logger.info("n=%d %s: %s", n, factory, result[factory])
        del index
    return result


def bench_talent_to_jobs(job_counts: list[int], args: argparse.Namespace, rng: np.random.Generator) -> dict:
    """Talent → jobs: k=200 latency over 243 (one event's catalogue) and 20k jobs, factory chosen by size."""
    out = {}
    for count in job_counts:
        vectors = unit_vectors(rng, count, args.dim, args.data)
        jobs = VectorIndex.build([f"j{i}" for i in range(count)], vectors, encoder_hash=ENCODER_HASH)
        queries = unit_vectors(rng, args.queries, args.dim, args.data)
        out[str(count)] = {"factory": jobs.factory, **latencies_ms(lambda q, j=jobs: j.search(q, 200), queries)}
    return out


def demo_texts(n: int) -> tuple[list[str], list[str], list[str]]:
    """Talent ids, rendered demo talents (raw columns) and rendered demo jobs (the queries)."""
    from matcher.demo import generate_jobs, generate_talents

    jobs = generate_jobs(243)
    ids, texts = [], []
    for chunk in generate_talents(n, seed=0, jobs=jobs):
        ids.extend(chunk["talent_id"].astype(str))
        texts.extend(render_talents(chunk))
    return ids, texts, render_jobs(jobs)


def bench_bm25(n: int, args: argparse.Namespace, rng: np.random.Generator) -> dict[str, object]:
    """Job → talents BM25: build speed and memory over ``n`` demo talents, k=200 query latency."""
    ids, texts, job_texts = demo_texts(n)
    index, stats = build_measured(lambda: BM25Index.build(ids, texts))
    queries = np.array(job_texts, dtype=object)[rng.integers(0, len(job_texts), args.queries)]
    mask = rng.random(n) < 0.05
    return {"n": n, **stats, "docs_per_s": round(n / stats["build_s"]),
            "mean_chars": round(float(np.mean([len(t) for t in texts[:10_000]])), 1),
            "k200": latencies_ms(lambda q: index.search(list(q), 200), queries),
            "k200_allowed_0.05": latencies_ms(lambda q: index.search(list(q), 200, allowed=mask), queries)}


def demo_pool(side: str, frame, texts: list[str], args: argparse.Namespace, rng: np.random.Generator):
    """A candidate pool over demo rows and their rendered texts, with synthetic vectors (FAISS factory chosen by
    size, as the pools choose it)."""
    from matcher.retrieve import CandidatePool

    vectors = unit_vectors(rng, len(frame), args.dim, args.data)
    return CandidatePool.build(side, frame, vectors, encoder_hash=ENCODER_HASH, texts=texts)


def bench_hybrid(n: int, args: argparse.Namespace, rng: np.random.Generator) -> dict[str, object]:
    """Both channels fused, as bulk runs and the API retrieve: seconds of ``retrieve_batch`` for
    ``--batch-talents`` talents against the 243 demo jobs (top 200 per channel, best 100 fused kept; best of
    three), and the latency of one job's ``retrieve_batch`` (a batch of one) over ``n`` talents."""
    from matcher.demo import generate_jobs, talents_frame
    from matcher.retrieve.hybrid import RetrievalConfig, retrieve_batch

    jobs = generate_jobs(243)
    talents = talents_frame(n, seed=0, jobs=jobs)
    job_texts, talent_texts = render_jobs(jobs), render_talents(talents)
    job_pool = demo_pool("job", jobs, job_texts, args, rng)
    queries = talent_texts[:args.batch_talents]
    vectors = unit_vectors(rng, len(queries), args.dim, args.data)
    config = RetrievalConfig(per_channel=200, limit=100)
    retrieve_batch(job_pool, queries[:64], vectors[:64], config)  # compiled loops loaded before timing
    seconds = []
    for _ in range(3):
        start = time.perf_counter()
        retrieve_batch(job_pool, queries, vectors, config)
        seconds.append(time.perf_counter() - start)
    talent_pool = demo_pool("talent", talents, talent_texts, args, rng)
    job_vectors = unit_vectors(rng, len(job_texts), args.dim, args.data)
    picks = rng.integers(0, len(job_texts), args.queries)
    single = latencies_ms(lambda q: retrieve_batch(talent_pool, [job_texts[int(q[0, 0])]],
                                                   job_vectors[int(q[0, 0])].reshape(1, -1),
                                                   RetrievalConfig(per_channel=200)), picks.reshape(-1, 1))
    return {"n": n, "batch_talents": len(queries), "batch_s": round(min(seconds), 3),
            "batch_talents_per_s": round(len(queries) / min(seconds)), "job_to_talents_single": single}


# --- hooks: real encoder throughput and retrieval quality on demo data ---------------------------

def bench_encoder(encoder, texts: list[str], batch_size: int = 1024) -> dict[str, float]:
    """Sentences per second of ``encoder.encode`` on ``texts`` (e.g. rendered demo talents)."""
    start = time.perf_counter()
    encoder.encode(texts, batch_size=batch_size)
    return {"texts": len(texts), "sentences_per_s": round(len(texts) / (time.perf_counter() - start))}


def ranking_quality(ranked: dict[str, list[str]], relevant: dict[str, set[str]],
                    cutoffs: tuple[int, ...] = (50, 200)) -> dict[str, float]:
    """Mean recall@cutoff and MRR of ranked candidate lists against each query's relevant set."""
    queries = [q for q, items in relevant.items() if items]
    out: dict[str, float] = {"queries": len(queries)}
    for cutoff in cutoffs:
        out[f"recall@{cutoff}"] = round(float(np.mean(
            [len(set(ranked.get(q, [])[:cutoff]) & relevant[q]) / len(relevant[q]) for q in queries])), 4)
    reciprocal = [next((1 / (r + 1) for r, c in enumerate(ranked.get(q, [])) if c in relevant[q]), 0.0)
                  for q in queries]
    out["mrr"] = round(float(np.mean(reciprocal)), 4)
    return out


def demo_quality(args: argparse.Namespace) -> dict[str, object]:
    """Talent → jobs recall@50/200 and MRR of dense, sparse and hybrid retrieval on demo outcomes;
    a job is relevant to a talent who applied, was interviewed or was hired there."""
    from matcher.config import Settings
    from matcher.demo import generate_events, generate_jobs, talents_frame
    from matcher.embed.encoder import load_encoder
    from matcher.retrieve import CandidatePool, RetrievalConfig, retrieve

    settings = Settings(model_path=args.model_path) if args.model_path else Settings()
    if not settings.resolved_model_path.exists():
        return {"skipped": f"no encoder model at {settings.resolved_model_path} (pass --model-path)"}
    encoder = load_encoder(settings)
    jobs = generate_jobs(243)
    talents = talents_frame(args.quality_talents, jobs=jobs)
    events = generate_events(talents, jobs)
    engaged = events[events["kind"].isin(RELEVANT_KINDS)].astype({"talent_id": str, "job_id": str})
    relevant = engaged.groupby("talent_id")["job_id"].agg(set).to_dict()
    job_texts, talent_texts = render_jobs(jobs), render_talents(talents)
    report: dict[str, object] = {"encoder": bench_encoder(encoder, talent_texts)}
    pool = CandidatePool.build("job", jobs, encoder.encode(job_texts), encoder_hash=encoder.manifest_hash,
                               texts=job_texts)
    ranked: dict[str, dict[str, list[str]]] = {"dense": {}, "sparse": {}, "hybrid": {}}
    channels = (("dense", "dense_rank"), ("sparse", "sparse_rank"), ("hybrid", "fused_rank"))
    for talent_id, text, vector in zip(talents["talent_id"].astype(str), talent_texts,
                                       encoder.encode(talent_texts), strict=True):
        if talent_id in relevant:
            table = retrieve(pool, text, vector, config=RetrievalConfig(per_channel=200))
            for channel, rank in channels:
                ranked[channel][talent_id] = table.dropna(subset=[rank]).sort_values(rank)["candidate_id"].tolist()
    report.update({channel: ranking_quality(lists, relevant) for channel, lists in ranked.items()})
    return report


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated candidate counts")
    parser.add_argument("--dim", type=int, default=256)
    parser.add_argument("--queries", type=int, default=300, help="single queries timed per setting")
    parser.add_argument("--data", choices=("clustered", "random"), default="clustered")
    parser.add_argument("--ann-factories", default=f"{DEFAULT_ANN_FACTORY};IVF{{nlist}},SQ8",
                        help="semicolon-separated FAISS factory strings compared with exact search")
    parser.add_argument("--ef-construction", type=int, default=IndexTuning.ef_construction)
    parser.add_argument("--ef-search", type=int, default=IndexTuning.ef_search)
    parser.add_argument("--nprobe", type=int, default=IndexTuning.nprobe)
    parser.add_argument("--job-counts", default="243,20000")
    parser.add_argument("--skip", default="", help="comma-separated parts to skip: dense,jobs,bm25,hybrid,quality")
    parser.add_argument("--batch-talents", type=int, default=4096, help="talents per retrieve_batch (hybrid)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--model-path", type=Path, help="encoder directory for the demo-quality part")
    parser.add_argument("--quality-talents", type=int, default=5000)
    parser.add_argument("--json", type=Path, help="also write all figures to this file")
    args = parser.parse_args(argv)
    args.ann_factories = [f for f in args.ann_factories.split(";") if f]
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    faiss.omp_set_num_threads(args.threads)
    rng = np.random.default_rng(0)
    skip = set(args.skip.split(","))
    sizes = [int(s) for s in args.sizes.split(",")]
    report: dict[str, object] = {"args": {k: str(v) for k, v in vars(args).items()},
                                 "faiss": faiss.__version__}
    if "dense" not in skip:
        report["dense"] = [bench_dense(n, args, rng) for n in sizes]
    if "jobs" not in skip:
        counts = [int(c) for c in args.job_counts.split(",")]
        report["talent_to_jobs_k200"] = bench_talent_to_jobs(counts, args, rng)
    if "bm25" not in skip:
        report["bm25"] = [bench_bm25(n, args, rng) for n in sizes]
        logger.info("bm25: %s", report["bm25"])
    if "hybrid" not in skip:
        report["hybrid"] = [bench_hybrid(n, args, rng) for n in sizes]
        logger.info("hybrid: %s", report["hybrid"])
    if "quality" not in skip:
        report["demo_quality"] = demo_quality(args)
    print(json.dumps(report, ensure_ascii=False, indent=2))  # noqa: T201 (a benchmark's own output)
    if args.json:
        args.json.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
