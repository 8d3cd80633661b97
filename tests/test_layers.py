"""The core never imports the web framework; only the CLI's ``serve`` (an edge, like the API) starts the app."""
from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parent.parent / "matcher"
WEB_FRAMEWORKS = {"fastapi", "starlette"}


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_no_core_module_imports_fastapi_or_starlette_and_only_the_cli_imports_the_api():
    modules = sorted(CORE.rglob("*.py"))
    assert CORE / "serving" / "bulk_runs.py" in modules  # the scan sees the serving package
    web = [str(p.relative_to(CORE)) for p in modules if _imported_roots(p) & WEB_FRAMEWORKS]
    api = [str(p.relative_to(CORE)) for p in modules if "api" in _imported_roots(p)]
    assert web == []
    assert api == ["cli/serve.py"]
