"""The Encoder contract on both implementations: offline loading, shapes, semantics, manifests, errors."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from matcher.cli import main
from matcher.config import Settings
from matcher.embed import static_model
from matcher.embed.encoder import (
    Encoder,
    ModelIntegrityError,
    ModelNotFoundError,
    SentenceTransformerEncoder,
    load_encoder,
    open_encoder,
)
from matcher.embed.manifest import MANIFEST_NAME, manifest_hash, read_manifest
from matcher.embed.static_encoder import StaticEncoder

IMPLEMENTATIONS = {"sentence_transformers": SentenceTransformerEncoder, "static": StaticEncoder}


@pytest.fixture(scope="module", params=sorted(IMPLEMENTATIONS))
def encoder(request: pytest.FixtureRequest, tiny_model_dir: Path) -> Encoder:
    """Every contract test runs on both implementations over the same tiny model."""
    return IMPLEMENTATIONS[request.param].load(tiny_model_dir)


@pytest.mark.parametrize("implementation", sorted(IMPLEMENTATIONS))
def test_loads_with_the_network_off(implementation: str, tiny_model_dir: Path, no_network: None) -> None:
    loaded = IMPLEMENTATIONS[implementation].load(tiny_model_dir)
    assert isinstance(loaded, Encoder)
    assert loaded.encode(["焊工"]).shape == (1, 256)


def test_encode_returns_unit_float32_rows(encoder: Encoder) -> None:
    texts = ["焊工，持有焊工证（高级），8年经验", "会计", "Java开发工程师 熟悉C++", "周口市商水县"]
    vectors = encoder.encode(texts, batch_size=2)
    assert vectors.shape == (4, encoder.dim) and vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(encoder.encode(texts[1:2])[0], vectors[1], rtol=1e-5, atol=1e-6)


def test_empty_inputs(encoder: Encoder) -> None:
    assert encoder.encode([]).shape == (0, encoder.dim)
    vectors = encoder.encode(["", "，。！"])
    assert vectors.shape == (2, encoder.dim) and not vectors.any()


def test_related_chinese_terms_score_higher_than_unrelated(encoder: Encoder) -> None:
    terms = ["焊工", "电焊工人", "会计", "财务经理"]
    welder, electric_welder, accountant, finance_manager = encoder.encode(terms)
    assert welder @ electric_welder > welder @ accountant
    assert accountant @ finance_manager > accountant @ electric_welder


def test_static_encoder_matches_sentence_transformers(tiny_model_dir: Path) -> None:
    texts = ["焊工", "", "河南省周口市商水县人，熟悉C++/Java开发，持有焊工证（高级）", "会计 会计 会计", "é"] * 7
    oracle = SentenceTransformerEncoder.load(tiny_model_dir).encode(texts, batch_size=4)
    fast = StaticEncoder.load(tiny_model_dir).encode(texts, batch_size=3)
    np.testing.assert_allclose(fast, oracle, atol=2e-6)


@pytest.mark.parametrize("load", [SentenceTransformerEncoder.load, StaticEncoder.load, open_encoder])
def test_hub_name_fails_fast_without_network(load, no_network: None) -> None:
    with pytest.raises(ModelNotFoundError, match="only from local directories") as raised:
        load("BAAI/bge-small-zh")
    assert "matcher model build" in str(raised.value) and "MATCHER_MODEL_PATH" in str(raised.value)


def test_manifest_hash_is_the_hash_of_our_manifest(encoder: Encoder, tiny_model_dir: Path) -> None:
    assert encoder.manifest_hash == manifest_hash(read_manifest(tiny_model_dir / MANIFEST_NAME))


@pytest.mark.parametrize("load", [SentenceTransformerEncoder.load, StaticEncoder.load])
def test_changed_weights_fail_loudly(load, tiny_model_copy: Path) -> None:
    weights = tiny_model_copy / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[-1] ^= 0xFF
    weights.write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="model.safetensors"):
        load(tiny_model_copy)


@pytest.fixture
def users_own_model(tiny_model_dir: Path, tmp_path: Path) -> Path:
    """A sentence-transformers model that is not ours and not purely static: static + a Dense head, no manifest."""
    from sentence_transformers import SentenceTransformer
    from sentence_transformers.sentence_transformer.modules import Dense

    static = SentenceTransformer(str(tiny_model_dir), device="cpu", local_files_only=True)[0]
    out = tmp_path / "users-model"
    SentenceTransformer(modules=[static, Dense(256, 64)], device="cpu").save(str(out))
    return out


def test_other_models_load_through_sentence_transformers(users_own_model: Path, no_network: None) -> None:
    first = open_encoder(users_own_model)
    assert isinstance(first, SentenceTransformerEncoder) and first.dim == 64
    vectors = first.encode(["焊工", "会计"])
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, rtol=1e-5)
    # no manifest of ours: hashed from its config files, stable, and changed by a config edit
    assert open_encoder(users_own_model).manifest_hash == first.manifest_hash
    config = users_own_model / "config_sentence_transformers.json"
    config.write_text(json.dumps({**json.loads(config.read_text()), "note": "edited"}))
    assert open_encoder(users_own_model).manifest_hash != first.manifest_hash


def test_configured_missing_path_is_an_error(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path, model_path=tmp_path / "absent")
    with pytest.raises(ModelNotFoundError, match="absent"):
        load_encoder(settings)


def test_default_model_is_built_on_first_use(
    tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[Path] = []

    def fake_build(out: Path) -> dict:
        built.append(out)
        shutil.copytree(tiny_model_dir, out)
        return read_manifest(out / MANIFEST_NAME)

    monkeypatch.setattr(static_model, "build_static_model", fake_build)
    settings = Settings(data_dir=tmp_path)
    first = load_encoder(settings)
    assert isinstance(first, StaticEncoder)
    assert built == [settings.resolved_model_path]
    assert load_encoder(settings).manifest_hash == first.manifest_hash
    assert len(built) == 1  # the second load finds the model and builds nothing


def test_cli_model_info_prints_dimension_and_hash(
    tiny_model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["model", "info", "--path", str(tiny_model_dir)], Settings(data_dir=tmp_path)) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["dim"] == 256 and report["encoder"] == "StaticEncoder"
    assert report["manifest"]["vocabulary"]["catalogue_files"] == ["occupations.csv", "regions.csv"]
    assert main(["model", "info"], Settings(data_dir=tmp_path)) == 1
