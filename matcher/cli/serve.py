"""``matcher serve [--host] [--port]``: run the HTTP API with uvicorn."""
from __future__ import annotations

import argparse

from matcher.config import Settings


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve", help="Run the HTTP API (docs at /docs, endpoints under /api/v1).",
        description="One process, one worker: the Matcher keeps its indexes in memory and updates them on "
                    "every write, so a second worker would not see the first one's changes.")
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    parser.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    serve(settings, args.host, args.port)
    return 0


def serve(settings: Settings, host: str, port: int) -> None:
    """Run the API until interrupted (also what ``matcher run`` should call after preparing data)."""
    # Imported here: the core never imports FastAPI; only this entry point reaches into the api package.
    import uvicorn

    from api.app import create_app

    # uvicorn's own access log prints full paths and query strings, which may hold names or phone
    # numbers; the API logs one line per request with the route template instead.
    uvicorn.run(create_app(settings), host=host, port=port, access_log=False,
                log_level=settings.log_level.lower(), log_config=None)
