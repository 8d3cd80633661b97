"""`matcher model build|info`: build the default offline embedding model, inspect a model directory."""
from __future__ import annotations

import argparse
import json
from dataclasses import replace
from pathlib import Path

from matcher.config import Settings
from matcher.embed.manifest import MANIFEST_NAME, read_manifest
from matcher.embed.static_model import DEFAULT_VOCAB_SIZE, StaticModelConfig


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

    info = commands.add_parser("info", help="print a model directory's manifest, dimension and hash")
    info.add_argument("--path", type=Path, help="model directory (default: the configured model path)")
    info.set_defaults(handler=_info)


def _build(args: argparse.Namespace, settings: Settings) -> int:
    from matcher.embed.static_model import build_static_model

    out = args.out or settings.resolved_model_path
    config = replace(StaticModelConfig(), vocab_size=args.vocab_size, dims=args.dims)
    manifest = build_static_model(out, config)
    vocabulary = manifest["vocabulary"]
    print(  # noqa: T201 - the command's own output
        f"built {out}: {vocabulary['size']:,} pieces, {manifest['dims']} dims "
        f"({manifest['pca_explained_variance']:.1%} variance), {manifest['build_seconds']:.0f} s"
    )
    return 0


def _info(args: argparse.Namespace, settings: Settings) -> int:
    from matcher.embed.encoder import ModelNotFoundError, SentenceTransformerEncoder

    path = args.path or settings.resolved_model_path
    try:
        encoder = SentenceTransformerEncoder.load(path)
    except ModelNotFoundError as exc:
        print(f"error: {exc}")  # noqa: T201
        return 1
    manifest_path = Path(path) / MANIFEST_NAME
    report = {
        "path": str(path),
        "dim": encoder.dim,
        "manifest_hash": encoder.manifest_hash,
        "manifest": read_manifest(manifest_path) if manifest_path.is_file() else None,
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))  # noqa: T201
    return 0
