"""The zip of matcher shipped to Spark executors: what it holds, that it is stable, and that a Python importing
matcher from it alone (as an executor does) finds the catalogues and the driver's code."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from matcher.bulk.spark_package import PACKAGE_DIR, package_zip, ship_package
from matcher.catalogs import CATALOG_DIR, catalog_dir


class _Context:
    """What ship_package uses of a SparkContext: the application id and addPyFile."""

    def __init__(self, application_id: str):
        self.applicationId, self.added = application_id, []

    def addPyFile(self, path: str) -> None:  # noqa: N802 (SparkContext's name)
        self.added.append(path)


def test_the_zip_holds_the_package_and_the_catalogues_without_bytecode():
    names = zipfile.ZipFile(package_zip()).namelist()
    assert "matcher/__init__.py" in names and "matcher/bulk/spark.py" in names
    assert "catalogs/regions.csv" in names and "catalogs/occupations.csv" in names
    assert not [n for n in names if "__pycache__" in n or n.endswith(".pyc")]
    sources = sum(1 for p in PACKAGE_DIR.rglob("*.py") if "__pycache__" not in p.parts)
    assert sum(1 for n in names if n.startswith("matcher/") and n.endswith(".py")) == sources


def test_the_same_files_make_one_zip_and_a_change_makes_another(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "sub" / "mod.py").write_text("X = 1\n")
    catalogs = tmp_path / "catalogs"
    catalogs.mkdir()
    (catalogs / "regions.csv").write_text("code,name\n")
    first = package_zip(package, catalogs)
    assert package_zip(package, catalogs) == first and first.name.startswith("pkg-")
    assert sorted(zipfile.ZipFile(first).namelist()) == ["catalogs/regions.csv", "pkg/__init__.py", "pkg/sub/mod.py"]
    (package / "sub" / "mod.py").write_text("X = 2\n")
    changed = package_zip(package, catalogs)
    assert changed != first and zipfile.ZipFile(changed).read("pkg/sub/mod.py") == b"X = 2\n"


def test_shipped_once_per_application():
    one, other = _Context("app-1"), _Context("app-2")
    for _ in range(2):
        ship_package(one)
    ship_package(other)
    assert one.added == other.added == [str(package_zip())]


def test_catalogs_of_a_checkout_are_its_catalogs_dir():
    assert CATALOG_DIR == PACKAGE_DIR.parent / "catalogs" and (CATALOG_DIR / "regions.csv").is_file()
    assert catalog_dir(PACKAGE_DIR.parent) == CATALOG_DIR


def test_a_python_with_only_the_zip_imports_matcher_from_it_and_reads_the_catalogues(tmp_path):
    """An executor's view: no checkout on PYTHONPATH, the zip first on sys.path (as addPyFile puts it).
    Before the zip carried catalogs/, CATALOG_DIR pointed inside the zip and every explanation failed."""
    shipped = tmp_path / "work" / package_zip().name
    shipped.parent.mkdir()
    shipped.write_bytes(package_zip().read_bytes())
    probe = ("import sys; sys.path.insert(1, sys.argv[1]); import matcher, matcher.catalogs as c;"
             "from matcher.catalogs.regions import region_by_code;"
             "print(matcher.__file__); print(c.CATALOG_DIR); print(region_by_code('410000').name)")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run([sys.executable, "-c", probe, str(shipped)], cwd=tmp_path, env=env, capture_output=True,
                          text=True, check=True)
    module, catalogs, henan = done.stdout.splitlines()
    assert module == str(shipped / "matcher" / "__init__.py")
    assert Path(catalogs) == shipped.with_name(shipped.name + ".catalogs") / "catalogs"
    assert henan == "河南省"
    assert (Path(catalogs) / "regions.csv").read_bytes() == (CATALOG_DIR / "regions.csv").read_bytes()
