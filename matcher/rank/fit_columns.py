"""Per-entity columns behind the major_fit and qualification_fit features, prepared once per talent and job.

A talent's major becomes the 大典 prefixes it leads to and their 中类 (matcher.normalize.major_fit's two
tests: the job's code under a prefix, or in a prefix's 中类); a job's code gets its 中类. Graded qualifications
(建造师, 教师资格, 会计 …) become what matcher.normalize.qualification_fit compares: a key, a grade rank and
specialities, per held certificate and for the job's first required qualification, so the compiled pair
features compare numbers only.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from matcher.catalogs.majors import major_by_code
from matcher.normalize.qualification_fit import certificate_standing

QUALIFICATION_KIND = "qualification"
MIDDLE_CLASS_LENGTH = len("2-05")
"""A 大典 code's 中类 is its first two segments (as matcher.normalize.major_fit compares them)."""


@dataclass(frozen=True)
class HeldQualification:
    """One graded qualification a talent holds, as qualification_fit compares it, and how a reason names it."""

    key: str
    rank: float
    specialities: frozenset[str]
    text: str


def _objects(values: Iterable[object]) -> np.ndarray:
    items = list(values)
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


def _prefixes(value: object) -> tuple[str, ...]:
    """A stored ``major_occupations`` list (None, NaN or a string when absent) as sorted distinct prefixes."""
    if value is None or isinstance(value, float | str):
        return ()
    return tuple(sorted({p for p in value if isinstance(p, str) and p}))


def _major_name(code: object) -> str | None:
    entry = major_by_code(code) if isinstance(code, str) and code else None
    return entry.name if entry else None


def held_qualifications(certs: Iterable[dict]) -> tuple[HeldQualification, ...]:
    """The graded qualifications among a talent's certificates, in their order."""
    held = []
    for cert in certs:
        if cert.get("kind") != QUALIFICATION_KIND:
            continue
        standing = certificate_standing(cert)
        if standing.key:
            held.append(HeldQualification(standing.key, standing.rank, standing.specialities, qualification_text(cert)))
    return tuple(held)


def qualification_text(cert: dict) -> str:
    """一级建造师（机电工程）: grade, name, speciality in brackets, as the certificate reads."""
    speciality = cert.get("speciality")
    return f"{cert.get('grade') or ''}{cert.get('name') or ''}" + (f"（{speciality}）" if speciality else "")


def _major_sets(major_occupations: Sequence[object]) -> list[tuple[frozenset[str], frozenset[str]]]:
    """Each row's major prefixes and their 中类 as frozensets. A pool's majors repeat (hundreds of majors for a
    million people), so rows of one major share its two sets instead of holding copies."""
    shared: dict[tuple[str, ...], tuple[frozenset[str], frozenset[str]]] = {}
    rows = []
    for value in major_occupations:
        prefixes = _prefixes(value)
        sets = shared.get(prefixes)
        if sets is None:
            sets = shared[prefixes] = frozenset(prefixes), frozenset(x[:MIDDLE_CLASS_LENGTH] for x in prefixes)
        rows.append(sets)
    return rows


def talent_fit_columns(major_codes: Sequence[object], major_occupations: Sequence[object],
                       certs: Sequence[list[dict]]) -> dict[str, np.ndarray]:
    """Major prefixes and their 中类 (frozensets), the major's catalogue name, and the held qualifications: as
    (key, rank) pairs, their specialities as (speciality, index of the qualification) pairs, and whole."""
    prefixes = _major_sets(major_occupations)
    held = [held_qualifications(c) for c in certs]
    return {
        "major_prefixes": _objects(p[0] for p in prefixes),
        "major_middles": _objects(p[1] for p in prefixes),
        "major_name": _objects(_major_name(c) for c in major_codes),
        "qualifications": _objects(held),
        "qualification_keys": _objects(tuple((q.key, q.rank) for q in h) for h in held),
        "qualification_specialities": _objects(
            tuple((s, float(i)) for i, q in enumerate(h) for s in sorted(q.specialities)) for h in held),
    }


def required_qualification(certs: Iterable[dict]) -> tuple[str | None, float, frozenset[str], str | None]:
    """The job's first graded qualification requirement: (key, grade rank or NaN, specialities, its text)."""
    for cert in certs:
        if cert.get("kind") == QUALIFICATION_KIND:
            standing = certificate_standing(cert)
            if standing.key:
                return standing.key, standing.rank, standing.specialities, qualification_text(cert)
    return None, np.nan, frozenset(), None


def job_fit_columns(occupation_codes: Sequence[object], certs: Sequence[list[dict]],
                    req_cert_keys: Sequence[object]) -> dict[str, np.ndarray]:
    """The job's 中类, its required qualification's key, rank, specialities and text, and whether the certificate
    the cert_* features check (``req_cert_keys``) is that same qualification (its reason then says it better)."""
    required = [required_qualification(c) for c in certs]
    return {
        "req_cert_graded": np.array([r[0] is not None and r[0] == f"{QUALIFICATION_KIND}:{key}"
                                     for r, key in zip(required, req_cert_keys, strict=True)]),
        "occupation_middle": _objects(c[:MIDDLE_CLASS_LENGTH] if isinstance(c, str) and c else None
                                      for c in occupation_codes),
        "req_qual_key": _objects(r[0] for r in required),
        "req_qual_rank": np.array([r[1] for r in required], dtype=np.float64),
        "req_qual_specialities": _objects(r[2] for r in required),
        "req_qual_text": _objects(r[3] for r in required),
    }
