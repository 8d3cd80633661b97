"""Texts and encoded profiles mapped from files beside the indexes: the same matches as private copies, writes
kept out of the files, stale or damaged files made again."""
from __future__ import annotations

import hashlib
import json
from dataclasses import fields
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from matcher.embed.manifest import MANIFEST_NAME
from matcher.embed.render import RENDERERS
from matcher.index.mapped import is_mapped
from matcher.pipeline import Matcher
from matcher.rank.encoded import EncodedProfiles
from matcher.rank.profiles import talent_profiles
from matcher.rendered_texts import RenderedTexts
from matcher.shared_tables import open_shared, shared_directory
from matcher.side import Side, indexed_by_id
from matcher.store.db import make_engine
from matcher.store.frames import load_talents
from matcher.store.models import Talent


def digests(directory: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.iterdir())}


def same_encoded(a: EncodedProfiles, b: EncodedProfiles) -> bool:
    return all(np.array_equal(getattr(a, f.name), getattr(b, f.name), equal_nan=True) for f in fields(a))


def test_rendered_texts_by_id_with_an_overlay(tmp_path):
    texts = RenderedTexts.of(["a", "b", "c"], ["焊工 三级", "", "会计"])
    texts.save(tmp_path)
    loaded = RenderedTexts.load(tmp_path, pd.Index(["a", "b", "c"], dtype=object))
    assert dict(loaded) == {"a": "焊工 三级", "b": "", "c": "会计"} and "z" not in loaded and 1 not in loaded
    changed = loaded.replaced({"b": "电工", "d": "护士"}, gone=["c"])
    assert dict(changed) == {"a": "焊工 三级", "b": "电工", "d": "护士"} and len(changed) == 3
    assert dict(changed.replaced({"c": "会计师"})) == {"a": "焊工 三级", "b": "电工", "c": "会计师", "d": "护士"}
    assert dict(loaded) == {"a": "焊工 三级", "b": "", "c": "会计"}  # the mapped buffer is unchanged
    with pytest.raises(KeyError):
        changed["c"]
    with pytest.raises(ValueError, match="4 text offsets for 2 ids"):
        RenderedTexts.load(tmp_path, pd.Index(["a", "b"], dtype=object))


def test_mapped_open_gives_the_matches_of_private_tables(pipeline_copy):
    mapped = Matcher.open(pipeline_copy)
    table = mapped.talent_profile_table.features_table()
    assert isinstance(mapped.talents.texts, RenderedTexts) and is_mapped(table.values) and is_mapped(table.numbers)
    frames = {"talent": mapped.talents.frame, "job": mapped.jobs.frame}
    texts = {side: dict(zip(frame.index, RENDERERS[side](frame), strict=True)) for side, frame in frames.items()}
    assert dict(mapped.talents.texts) == texts["talent"] and dict(mapped.jobs.texts) == texts["job"]
    private = Matcher(Side(frames["talent"], mapped.talents.pool, texts["talent"]),
                      Side(frames["job"], mapped.jobs.pool, texts["job"]), mapped.encoder, mapped.rankers,
                      reference_year=mapped.reference_year, settings=pipeline_copy)  # profiles made afresh
    assert not is_mapped(private.talent_profile_table.features_table().values)
    assert same_encoded(private.talent_profile_table.features_table(), table)
    talents, jobs = list(frames["talent"].index), list(frames["job"].index)
    assert mapped.recommend(talents, top=6) == private.recommend(talents, top=6)
    assert mapped.candidates(jobs, top=6) == private.candidates(jobs, top=6)


def test_a_write_after_open_leaves_the_shared_files_as_saved(pipeline_copy):
    matcher = Matcher.open(pipeline_copy)
    directory = shared_directory(pipeline_copy.index_dir, "talent")
    saved = digests(directory)
    with Session(make_engine(pipeline_copy)) as session, session.begin():
        session.execute(update(Talent).where(Talent.talent_id == "T-NURSE").values(
            current_title="焊工", skills="氩弧焊", skills_norm=["氩弧焊"], summary="改行做了焊工"))
    matcher.refresh_talents(["T-NURSE"])
    assert "焊工" in matcher.talents.texts["T-NURSE"]
    assert "T-NURSE" in [m.id for m in matcher.candidates(["J-WELD-SS"], top=6)["J-WELD-SS"]]
    assert digests(directory) == saved  # other workers still map what was saved
    # The next open (rereading the rows: this write bypassed the change log) makes the tables again.
    reopened = Matcher.open(pipeline_copy, rebuild=True)
    assert "焊工" in reopened.talents.texts["T-NURSE"] and digests(directory) != saved


def profiles_in(year: int):
    return lambda rows, encoded: talent_profiles(rows, year, encoded)


def _frame(settings) -> pd.DataFrame:
    return indexed_by_id(load_talents(make_engine(settings)), "talent_id")


def test_stale_or_damaged_shared_files_are_made_again(pipeline_copy, caplog):
    index_dir, frame = pipeline_copy.index_dir, _frame(pipeline_copy)
    directory = shared_directory(index_dir, "talent")
    made = []

    def profiles_of(year):
        def make(rows, encoded):
            made.append(encoded is None)
            return talent_profiles(rows, year, encoded)
        return make

    open_shared(index_dir, "talent", frame, 2041, profiles_of(2041))
    open_shared(index_dir, "talent", frame, 2041, profiles_of(2041))
    assert made == [True, False]  # made once (no open has used 2041 yet), then mapped
    _, older = open_shared(index_dir, "talent", frame, 2030, profiles_of(2030))  # ages count from another year
    assert made[-1] is True and json.loads((directory / MANIFEST_NAME).read_text())["reference_year"] == 2030
    age = older.columns["age"]
    assert same_encoded(older.encoded, talent_profiles(frame, 2030).encoded) and np.nanmin(age) > 0
    edited = frame.copy()
    edited.loc["T-NURSE", "current_title"], edited.loc["T-NURSE", "updated_at"] = "焊工", pd.Timestamp("2031-01-01")
    texts, _ = open_shared(index_dir, "talent", edited, 2030, profiles_in(2030))
    assert "焊工" in texts["T-NURSE"]
    np.save(directory / "text_offsets.npy", np.zeros(2, dtype=np.int64))  # damaged: offsets for one row
    with caplog.at_level("WARNING", logger="matcher.shared_tables"):
        texts, _ = open_shared(index_dir, "talent", edited, 2030, profiles_in(2030))
    assert "cannot be read" in caplog.text and dict(texts) == dict(zip(
        edited.index, RENDERERS["talent"](edited), strict=True))


def test_shared_files_with_a_few_changed_rows_are_brought_up_to_date_as_made_afresh(pipeline_copy):
    index_dir, frame = pipeline_copy.index_dir, _frame(pipeline_copy)
    open_shared(index_dir, "talent", frame, 2041, profiles_in(2041))
    # one row deleted, one rewritten, one added (second in id order)
    edited = frame.drop(index=[i for i in frame.index if i != "T-NURSE"][3]).copy()
    edited.loc["T-NURSE", "current_title"], edited.loc["T-NURSE", "updated_at"] = "焊工", pd.Timestamp("2031-01-01")
    added = frame.iloc[[0]].copy()
    added.index = pd.Index(["T-0-NEW"], dtype=object)
    added["talent_id"], added["current_title"], added["updated_at"] = "T-0-NEW", "数控车工", pd.Timestamp("2031-01-02")
    edited = pd.concat([edited, added]).sort_index()
    made = []

    def profiles_of(rows, encoded):
        made.append((sorted(rows.index), encoded is None))
        return talent_profiles(rows, 2041, encoded)

    texts, table = open_shared(index_dir, "talent", edited, 2041, profiles_of)
    assert made[0] == (["T-0-NEW", "T-NURSE"], True)  # only the written rows were made
    assert made[1:] == [(sorted(edited.index), False)] and len(made) == 2  # then the profiles of the saved rows
    assert dict(texts) == dict(zip(edited.index, RENDERERS["talent"](edited), strict=True))
    assert list(texts) == list(edited.index) and is_mapped(table.encoded.values)
    assert same_encoded(table.encoded, talent_profiles(edited, 2041).encoded)
    made.clear()
    open_shared(index_dir, "talent", edited, 2041, profiles_of)  # saved up to date: mapped as it is
    assert made == [(sorted(edited.index), False)]


def test_rendered_texts_assembled_from_two_sets_in_any_order():
    saved = RenderedTexts.of(["a", "b", "c"], ["焊工 三级", "", "会计"])
    fresh = RenderedTexts.of(["d", "b"], ["护士", "电工"])
    ids = pd.Index(["d", "c", "b", "a"], dtype=object)
    got = RenderedTexts.assembled(ids, [saved, fresh], np.array([1, 0, 1, 0]), np.array([0, 2, 1, 0]))
    assert list(got.items()) == [("d", "护士"), ("c", "会计"), ("b", "电工"), ("a", "焊工 三级")]
