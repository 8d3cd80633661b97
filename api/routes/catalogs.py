"""Catalogue look-ups (regions, industries, certificates, occupations, education) and normalisation.

Normalising goes through the same function as ``matcher normalize``, so the API and the CLI agree.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from api.auth import AccountDep
from api.schemas.catalogs import (
    CertificatePublic,
    EducationPublic,
    IndustryPublic,
    NormalizeRequest,
    OccupationPublic,
    RegionPublic,
)
from api.schemas.common import PROBLEM_RESPONSES, Page, PolicyText
from matcher.catalogs import certificates as certificate_catalog
from matcher.catalogs.education import load_education_levels
from matcher.catalogs.industries import load_industries, load_key_industries
from matcher.catalogs.occupations import load_occupations
from matcher.catalogs.regions import load_regions
from matcher.normalize.values import NORMALISERS, normalise_values

router = APIRouter(prefix="/catalogs", tags=["catalogues"], responses=PROBLEM_RESPONSES)

Offset = Annotated[int, Query(ge=0)]
Limit = Annotated[int, Query(ge=1, le=500)]
Search = Annotated[str | None, Query(description="part of the name or an alias")]
NormaliserKind = Literal[tuple(sorted(NORMALISERS))]  # type: ignore[valid-type]
MAX_TEXTS = 1000


@router.get("/regions", response_model=Page[RegionPublic])
def regions(account: AccountDep, parent: Annotated[str | None, Query(description="parent region code")] = None,
            level: Literal["province", "city", "county"] | None = None, q: Search = None,
            offset: Offset = 0, limit: Limit = 100):
    """GB/T 2260 regions; e.g. ``parent=411600`` lists the counties of 周口市."""
    entries = (r for r in load_regions() if (parent is None or r.parent_code == parent)
               and (level is None or r.level == level))
    return _page(entries, RegionPublic, q, lambda r: (r.name, r.short_name), offset, limit)


@router.get("/industries", response_model=Page[IndustryPublic])
def industries(account: AccountDep, level: Literal["key", "section", "division"] | None = None, q: Search = None,
               offset: Offset = 0, limit: Limit = 100):
    """The 14 key industries (level 'key') and GB/T 4754-2017 sections and divisions."""
    keys = [IndustryPublic(code=k.name, name=k.name, level="key", aliases=list(k.aliases),
                           divisions=list(k.divisions)) for k in load_key_industries()]
    standard = [IndustryPublic(code=e.code, name=e.name, level=e.level, section=e.section, aliases=list(e.aliases))
                for e in load_industries()]
    entries = (e for e in [*keys, *standard] if level is None or e.level == level)
    return _page(entries, None, q, lambda e: (e.name, *e.aliases), offset, limit)


@router.get("/certificates", response_model=Page[CertificatePublic])
def certificates(account: AccountDep, kind: Literal["qualification", "title", "special_operation"] | None = None,
                 q: Search = None, offset: Offset = 0, limit: Limit = 100):
    """Qualifications (国家职业资格目录 2021), professional titles and special-operation permits."""
    entries = (c for c in _certificate_entries() if kind is None or c.kind == kind)
    return _page(entries, None, q, lambda c: (c.name, *c.aliases), offset, limit)


@router.get("/occupations", response_model=Page[OccupationPublic])
def occupations(account: AccountDep, level: Annotated[int | None, Query(ge=1, le=4)] = None, q: Search = None,
                offset: Offset = 0, limit: Limit = 100):
    """职业分类大典 2022: level 4 entries are the occupations people hold."""
    entries = (o for o in load_occupations() if level is None or o.level == level)
    return _page(entries, OccupationPublic, q, lambda o: (o.name, *o.aliases), offset, limit)


@router.get("/education", response_model=list[EducationPublic])
def education(account: AccountDep):
    return [EducationPublic(rank=e.rank, name=e.name, aliases=list(e.aliases)) for e in load_education_levels()]


@router.get("/normalize/{kind}")
def normalize_one(kind: NormaliserKind, text: PolicyText, account: AccountDep,
                  top: Annotated[int, Query(ge=1, le=20, description="occupation only")] = 3) -> dict[str, Any]:
    """One value through the same normaliser as ``matcher normalize KIND TEXT --json``."""
    return normalise_values(kind, [text], top=top)[0]


@router.post("/normalize/{kind}")
def normalize_many(kind: NormaliserKind, body: NormalizeRequest, account: AccountDep,
                   top: Annotated[int, Query(ge=1, le=20)] = 3) -> list[dict[str, Any]]:
    """Up to 1,000 values, results in input order."""
    return normalise_values(kind, body.texts[:MAX_TEXTS], top=top)


@lru_cache(maxsize=1)
def _certificate_entries() -> tuple[CertificatePublic, ...]:
    aliases: dict[str, list[str]] = {}
    for alias in certificate_catalog.load_certificate_aliases():
        aliases.setdefault(alias.name, []).append(alias.alias)
    entries = [
        *(CertificatePublic(kind="qualification", name=q.name, occupation_code=q.occupation_code,
                            aliases=[*q.aliases, *aliases.get(q.name, [])])
          for q in certificate_catalog.load_qualifications()),
        *(CertificatePublic(kind="title", name=t.title, title_rank=t.rank, aliases=aliases.get(t.title, []))
          for t in certificate_catalog.load_titles()),
        *(CertificatePublic(kind="special_operation", name=s.operation, occupation_code=s.occupation_code,
                            aliases=[*s.aliases, *aliases.get(s.operation, [])])
          for s in certificate_catalog.load_special_operations()),
    ]
    return tuple(entries)


def _page(entries: Iterable[Any], schema: type | None, q: str | None, names: Callable[[Any], Sequence[str]],
          offset: int, limit: int) -> Page:
    needle = (q or "").strip()
    matched = [e for e in entries if not needle or any(needle in name for name in names(e))]
    items = matched[offset:offset + limit]
    if schema is not None:
        items = [schema(**{field: _plain(getattr(e, field)) for field in schema.model_fields}) for e in items]
    return Page(items=items, total=len(matched), offset=offset, limit=limit)


def _plain(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value
