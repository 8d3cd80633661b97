"""`matcher model build|finetune|info`: build and fine-tune the offline embedding model, inspect a model."""
from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from matcher.config import Settings
from matcher.embed.encoder import ModelIntegrityError, ModelNotFoundError, open_encoder
from matcher.embed.finetune import FinetuneConfig, finetune_static_model
from matcher.embed.manifest import MANIFEST_NAME, read_manifest
from matcher.embed.static_model import DEFAULT_VOCAB_SIZE, StaticModelConfig, build_static_model


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("model", help="build or inspect the embedding model")
    commands = parser.add_subparsers(dest="model_command", required=True)

    build = commands.add_parser(
        "build", help="distil the default Chinese static model from USE multilingual (offline, a few minutes)"
    )
    build.add_argument("--out", type=Path, help="model directory (default: the configured model path)")
    build.add_argument(
        "--vocab-size", type=int, default=DEFAULT_VOCAB_SIZE,
        help=f"most frequent jieba words to keep (default {DEFAULT_VOCAB_SIZE:,}); "
        "characters and catalogue terms come on top",
    )
    build.add_argument("--dims", type=int, default=StaticModelConfig.dims, help="PCA dimensions")
    build.set_defaults(handler=_build)

    finetune = commands.add_parser(
        "finetune", help="fine-tune a static model on catalogue alias → occupation pairs into a new directory"
    )
    finetune.add_argument("--base", type=Path, help="static model to start from (default: the configured model)")
    finetune.add_argument("--out", type=Path, help="new model directory (default: <base>-ft beside the base)")
    finetune.add_argument("--epochs", type=int, default=FinetuneConfig.epochs)
    finetune.add_argument("--batch-size", type=int, default=FinetuneConfig.batch_size)
    finetune.add_argument("--lr", type=float, default=FinetuneConfig.learning_rate, help="learning rate")
    finetune.add_argument("--holdout", type=float, default=FinetuneConfig.holdout,
                          help="share of occupations kept out of training and scored before/after")
    finetune.set_defaults(handler=_finetune)

    info = commands.add_parser("info", help="print a model directory's manifest, dimension and hash")
    info.add_argument("--path", type=Path, help="model directory (default: the configured model path)")
    info.set_defaults(handler=_info)


def _build(args: argparse.Namespace, settings: Settings) -> int:
    out = args.out or settings.resolved_model_path
    config = replace(StaticModelConfig(), vocab_size=args.vocab_size, dims=args.dims)
    manifest = build_static_model(out, config)
    vocabulary = manifest["vocabulary"]
    print(  # noqa: T201 - the command's own output
        f"built {out}: {vocabulary['size']:,} pieces, {manifest['dims']} dims "
        f"({manifest['pca_explained_variance']:.1%} variance), {manifest['build_seconds']:.0f} s"
    )
    return 0


def _finetune(args: argparse.Namespace, settings: Settings) -> int:
    base = args.base or settings.resolved_model_path
    out = args.out or base.with_name(f"{base.name}-ft")
    config = replace(
        FinetuneConfig(), epochs=args.epochs, batch_size=args.batch_size, learning_rate=args.lr, holdout=args.holdout
    )
    metrics = finetune_static_model(base, out, config)["metrics"]
    before, after = metrics["before"]["held_out"], metrics["after"]["held_out"]
    print(  # noqa: T201 - the command's own output
        f"fine-tuned {base} → {out}: held-out ({after['queries']} pairs) MRR {before['mrr']:.3f} → {after['mrr']:.3f}, "
        f"recall@1 {before['recall_at_1']:.3f} → {after['recall_at_1']:.3f}"
    )
    return 0


def _info(args: argparse.Namespace, settings: Settings) -> int:
    path = args.path or settings.resolved_model_path
    try:
        encoder = open_encoder(path)
    except (ModelNotFoundError, ModelIntegrityError) as exc:
        print(f"error: {exc}")  # noqa: T201
        return 1
    manifest_path = Path(path) / MANIFEST_NAME
    report = {
        "path": str(path),
        "dim": encoder.dim,
        "encoder": type(encoder).__name__,
        "manifest_hash": encoder.manifest_hash,
        "manifest": read_manifest(manifest_path) if manifest_path.is_file() else None,
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))  # noqa: T201
    return 0
