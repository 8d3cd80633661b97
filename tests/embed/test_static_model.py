"""The static model build: vocabulary, tokenizer, distillation maths, saved directory and manifest."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from safetensors.numpy import load_file
from tokenizers import Tokenizer

from matcher.embed import static_model
from matcher.embed.catalogue_terms import catalogue_terms
from matcher.embed.distill import DistilledWeights, pca_project, sif_weights, teacher_embeddings
from matcher.embed.manifest import MANIFEST_NAME, read_manifest
from matcher.embed.static_model import StaticModelConfig, build_static_model
from matcher.embed.tokenizer_build import UNKNOWN_TOKEN, PieceSplitter, build_tokenizer
from matcher.embed.vocabulary import (
    PROBABILITY,
    SOURCE,
    SOURCE_CATALOGUE,
    TOKEN,
    build_vocabulary,
    jieba_dictionary_path,
    read_jieba_frequencies,
)
from tests.conftest import FIXTURE_CATALOGS, TINY_VOCAB_SIZE


@pytest.fixture(scope="module")
def tiny_tokenizer(tiny_model_dir: Path) -> Tokenizer:
    return Tokenizer.from_file(str(tiny_model_dir / "tokenizer.json"))


def test_piece_splitter_keeps_chinese_runs_and_splits_ascii() -> None:
    split = PieceSplitter()
    assert split("熟悉Ｃ＋＋/Java开发，5年经验") == ["熟悉", "c++", "java", "开发", "5", "年经验"]


def test_unigram_follows_jieba_maximum_probability_segmentation() -> None:
    # 研究生/命 is a dictionary path too, but 研究/生命 has the higher product of probabilities.
    tokens = [UNKNOWN_TOKEN, "研究", "研究生", "生命", "命", "起源", "研", "究", "生", "起", "源"]
    probabilities = [0.0, 1e-3, 1e-4, 1e-3, 1e-5, 1e-4, 1e-6, 1e-6, 1e-5, 1e-5, 1e-6]
    tokenizer = build_tokenizer(tokens, probabilities)
    assert tokenizer.encode("研究生命起源").tokens == ["研究", "生命", "起源"]
    assert tokenizer.encode("研究生").tokens == ["研究生"]


def test_build_tokenizer_requires_unknown_token_first() -> None:
    with pytest.raises(ValueError, match="unknown token"):
        build_tokenizer(["研究", UNKNOWN_TOKEN], [1e-3, 0.0])


def test_vocabulary_rows_are_unique_normalised_pieces() -> None:
    terms, files = catalogue_terms(FIXTURE_CATALOGS)
    assert files == ["occupations.csv", "regions.csv"]
    vocabulary = build_vocabulary(500, terms)
    assert vocabulary[TOKEN].iloc[0] == UNKNOWN_TOKEN
    assert vocabulary[TOKEN].is_unique
    tokens = set(vocabulary[TOKEN])
    assert {"电焊工人", "商水县", "java", "c++", "a", "7", "焊"} <= tokens
    assert "b超" not in tokens  # jieba's mixed-script entries can never come out of the pre-tokenizer
    assert all(token == token.lower() for token in vocabulary[TOKEN].iloc[1:])
    assert (vocabulary[PROBABILITY].iloc[1:] > 0).all()


def test_catalogue_terms_unknown_to_jieba_get_the_median_word_frequency() -> None:
    counts, total = read_jieba_frequencies(jieba_dictionary_path(), PieceSplitter())
    vocabulary = build_vocabulary(500, ["焊工", "计算机软件工程技术人员"]).set_index(TOKEN)
    top = sorted(counts.values(), reverse=True)[:500]
    assert vocabulary.loc["计算机软件工程技术人员", PROBABILITY] == pytest.approx(np.median(top) / total)
    assert vocabulary.loc["计算机软件工程技术人员", SOURCE] == SOURCE_CATALOGUE
    assert vocabulary.loc["焊工", PROBABILITY] == pytest.approx(counts["焊工"] / total)


def test_pca_keeps_all_variance_at_full_rank_and_orders_components() -> None:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(300, 8)) * np.array([10, 5, 3, 1, 1, 0.5, 0.1, 0.1])
    full, explained = pca_project(vectors.astype(np.float32), 8)
    assert explained == pytest.approx(1.0)
    centred = vectors - vectors.mean(axis=0)
    pairwise = np.linalg.norm(centred[:50, None] - centred[None, :50], axis=-1)
    projected = np.linalg.norm(full[:50, None] - full[None, :50], axis=-1)
    np.testing.assert_allclose(projected, pairwise, rtol=1e-4, atol=1e-3)
    top, explained_two = pca_project(vectors.astype(np.float32), 2)
    assert top.var(axis=0)[0] > top.var(axis=0)[1]
    assert 0.8 < explained_two < 1.0


def test_sif_weights_shrink_frequent_pieces() -> None:
    weights = sif_weights(np.array([1e-2, 1e-4, 1e-8]), a=1e-4)
    np.testing.assert_allclose(weights, [1e-4 / (1e-4 + 1e-2), 0.5, 1e-4 / (1e-4 + 1e-8)], rtol=1e-6)


def test_manifest_records_how_the_model_was_built(tiny_model_dir: Path) -> None:
    manifest = read_manifest(tiny_model_dir / MANIFEST_NAME)
    assert manifest["teacher"]["name"] == "universal-sentence-encoder-multilingual-3"
    assert manifest["teacher"]["version"]
    vocabulary = manifest["vocabulary"]
    assert vocabulary["jieba_words_requested"] == TINY_VOCAB_SIZE
    assert vocabulary["by_source"]["jieba_word"] == TINY_VOCAB_SIZE
    assert vocabulary["catalogue_files"] == ["occupations.csv", "regions.csv"]
    assert vocabulary["catalogue_terms"] > 10
    assert manifest["dims"] == 256 and manifest["dtype"] == "float16" and manifest["sif_a"] == 1e-4
    assert 0.5 < manifest["pca_explained_variance"] < 1.0
    assert manifest["build_seconds"] > 0 and manifest["built_at"]
    assert {"sentence-transformers", "torch", "numpy", "tokenizers", "jieba"} <= set(manifest["libraries"])
    assert {"model.safetensors", "tokenizer.json", "modules.json"} <= set(manifest["files"])


def test_saved_weights_match_vocabulary_and_unknown_row_is_zero(tiny_model_dir: Path) -> None:
    manifest = read_manifest(tiny_model_dir / MANIFEST_NAME)
    (weights,) = load_file(str(tiny_model_dir / "model.safetensors")).values()
    assert weights.shape == (manifest["vocabulary"]["size"], 256)
    assert weights.dtype == np.float16
    assert not weights[0].any()
    assert np.abs(weights[1:]).sum(axis=1).min() > 0


def test_tokenizer_has_no_unknown_tokens_on_mixed_text(tiny_tokenizer: Tokenizer) -> None:
    text = "河南省周口市商水县人，熟悉C++/Java开发，持有焊工证（高级），5G、PLC经验8年！"
    encoding = tiny_tokenizer.encode(text)
    assert encoding.ids and 0 not in encoding.ids
    assert {"商水县", "c++", "java", "焊工", "5g", "plc"} <= set(encoding.tokens)


def test_static_vectors_keep_the_teachers_similarities(tiny_model_dir: Path) -> None:
    from matcher.embed.encoder import SentenceTransformerEncoder

    words = ["焊工", "电焊工人", "会计", "出纳", "程序员", "软件工程师", "酒店前台", "周口市", "商水县"]
    teacher = teacher_embeddings(words)
    student = SentenceTransformerEncoder.load(tiny_model_dir).encode(words)
    upper = np.triu_indices(len(words), k=1)
    correlation = np.corrcoef((teacher @ teacher.T)[upper], (student @ student.T)[upper])[0, 1]
    assert correlation > 0.8


def test_build_replaces_an_existing_model_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def random_teacher(pieces, probabilities, dims, a):  # the teacher is slow and not what this test is about
        vectors = np.random.default_rng(0).normal(size=(len(pieces), dims)).astype(np.float32)
        return DistilledWeights(vectors, explained_variance=0.5)

    monkeypatch.setattr(static_model, "distil", random_teacher)
    out = tmp_path / "model"
    out.mkdir()
    (out / "stale.txt").write_text("from an older build")
    config = StaticModelConfig(vocab_size=50, dims=32, catalog_dir=FIXTURE_CATALOGS)
    manifest = build_static_model(out, config)
    assert not (out / "stale.txt").exists()
    assert json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8")) == manifest
    assert [p.name for p in tmp_path.iterdir()] == ["model"]  # no staging or retired directories left


@pytest.mark.slow
def test_full_default_model_builds(tmp_path: Path) -> None:
    manifest = build_static_model(tmp_path / "static-zh")
    assert manifest["vocabulary"]["by_source"]["jieba_word"] == 100_000
    assert manifest["pca_explained_variance"] > 0.9
