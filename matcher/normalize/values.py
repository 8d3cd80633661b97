"""Every normaliser by name, and their results in JSON form: the one path for the CLI and the API."""
from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Callable
from typing import Any, NamedTuple


class NormaliserSpec(NamedTuple):
    module: str
    function: str
    list_field: str | None  # lists, and results that may be None, are wrapped as {"raw": text, list_field: ...}


NORMALISERS: dict[str, NormaliserSpec] = {
    "region": NormaliserSpec("matcher.normalize.region", "normalize_region", None),
    "certificate": NormaliserSpec("matcher.normalize.certificate", "normalize_certificates", "certificates"),
    "education": NormaliserSpec("matcher.normalize.education", "normalize_education", None),
    "salary": NormaliserSpec("matcher.normalize.salary", "normalize_salary", None),
    "experience": NormaliserSpec("matcher.normalize.experience", "normalize_experience", None),
    "occupation": NormaliserSpec("matcher.normalize.occupation", "match_occupations", "matches"),
    "industry": NormaliserSpec("matcher.normalize.industry", "normalize_industry", None),
    "skills": NormaliserSpec("matcher.normalize.skills", "tokenize_skills", "skills"),
    "major": NormaliserSpec("matcher.normalize.major", "normalize_major", "major"),
}


def _load(kind: str) -> Callable[..., Any]:
    spec = NORMALISERS[kind]
    return getattr(importlib.import_module(spec.module), spec.function)


def _as_json(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    if isinstance(value, list | tuple):
        return [_as_json(item) for item in value]
    return value


def normalise_values(kind: str, texts: list[str], top: int = 3) -> list[dict[str, Any]]:
    """The JSON form of each text's result, in input order."""
    spec = NORMALISERS[kind]
    normaliser = _load(kind)
    results = []
    for text in texts:
        result = normaliser(text, top=top) if kind == "occupation" else normaliser(text)
        as_json = _as_json(result)
        results.append({"raw": text, spec.list_field: as_json} if spec.list_field else as_json)
    return results
