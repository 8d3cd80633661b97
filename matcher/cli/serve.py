"""``matcher serve [--host] [--port] [--workers]``: run the HTTP API with uvicorn."""
from __future__ import annotations

import argparse
import os
import socket

from matcher.config import Settings, environment_for


def default_workers() -> int:
    """One worker per core: a worker runs Python on one core at a time."""
    return max(1, os.cpu_count() or 1)


def add_worker_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workers", type=_positive, default=default_workers(),
                        help="worker processes, forked from one loaded Matcher whose memory they share "
                             f"(default: one per core, here {default_workers()})")


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected at least 1 worker, got {value}")
    return value


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve", help="Run the HTTP API (docs at /docs, endpoints under /api/v1).",
        description="Several worker processes, one per core by default, forked from one process that loads the "
                    "Matcher once: its frames are shared copy-on-write and index files mapped, until a worker applies "
                    "a write, which rebuilds that worker's frames. A worker that dies is replaced by a new fork. "
                    "A write answered by one worker reaches the others through the database's change log before "
                    "their next matching request.")
    parser.add_argument("--host", default="127.0.0.1", help="interface to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    add_worker_option(parser)
    parser.set_defaults(handler=run_serve)


def run_serve(args: argparse.Namespace, settings: Settings) -> int:
    serve(settings, args.host, args.port, args.workers)
    return 0


def serve(settings: Settings, host: str, port: int, workers: int = 1) -> None:
    """Run the API until interrupted (also what ``matcher run`` calls after preparing data)."""
    # Imported here: the core never imports FastAPI; only this entry point reaches into the api package.
    import uvicorn

    # uvicorn's own access log prints full paths and query strings, which may hold names or phone
    # numbers; the API logs one line per request with the route template instead.
    # httptools and uvloop are dependencies, named here so a missing one fails at start, not silently
    # falling back to h11 and asyncio (a millisecond more per request).
    options = {"host": host, "port": port, "access_log": False, "log_level": settings.log_level.lower(),
               "log_config": None, "http": "httptools", "loop": "uvloop"}
    if workers == 1:
        from api.app import create_app

        uvicorn.run(create_app(settings, freeze_loaded=True), **options)
        return
    # Settings given to this process (not only through MATCHER_* variables) are put in the environment, where
    # anything the workers start (bulk-run worker pools) reads them.
    for name, value in environment_for(settings).items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
    # One OpenMP thread in every thread of each worker: libgomp reads this when it loads, while omp_set_num_threads
    # (matcher.threads) covers only the thread that calls it, and the routes that write apply changes to the FAISS
    # pools in pool threads. The Rust tokenizer's thread pool would be running threads at the fork. A value
    # already set is kept.
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    _spawn_supervisor(settings, options, workers)


def serve_preforked(settings: Settings, options: dict[str, object], workers: int) -> None:
    """Load one Matcher here, then fork ``workers`` processes that share its pages (matcher.serving.prefork)."""
    import uvicorn

    from api.app import create_preloaded_app, preload
    from matcher.serving.prefork import PreforkSupervisor

    sock = bind_listening_socket(str(options["host"]), int(options["port"]))  # a connection waits while we load
    preloaded = preload(settings)

    def serve_worker() -> int:
        # Every worker accepts from the shared socket, the less-loaded first (matcher.serving.acceptor).
        config = uvicorn.Config(create_preloaded_app(settings, preloaded), **{**options, "loop": BALANCED_LOOP})
        uvicorn.Server(config).run(sockets=[sock])
        return 0

    status = PreforkSupervisor(workers, serve_worker).run()
    if status:
        raise SystemExit(status)


def _spawn_supervisor(settings: Settings, options: dict[str, object], workers: int) -> None:
    """Run :func:`serve_preforked` in a spawned process, passing SIGINT and SIGTERM on to it.

    Not in this process: here the command line's modules loaded libgomp before OMP_NUM_THREADS was set (and
    ``matcher run`` ran FAISS and LightGBM multi-threaded, leaving libgomp a thread pool that a fork would copy
    half there). A fresh process loads every native library with one thread, and its workers inherit that.
    """
    import multiprocessing
    import signal

    process = multiprocessing.get_context("spawn").Process(target=_supervisor_main,
                                                           args=(settings, options, workers))
    process.start()
    assert process.pid is not None
    pid = process.pid
    previous = {sig: signal.signal(sig, lambda sig, _: os.kill(pid, sig)) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        process.join()
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if process.exitcode:
        raise SystemExit(process.exitcode)


def _supervisor_main(settings: Settings, options: dict[str, object], workers: int) -> None:
    from matcher.cli import configure_logging

    configure_logging(settings)
    serve_preforked(settings, options, workers)


BALANCED_LOOP = "matcher.serving.acceptor:BalancedLoop"
"""The event loop of each worker: uvloop, accepting connections by load from the socket all workers share."""


def bind_listening_socket(host: str, port: int, backlog: int = 2048) -> socket.socket:
    """A listening TCP socket on (host, port), handed to every worker process.

    Created with the TCP protocol number and TCP_NODELAY: asyncio turns Nagle off only on connections
    whose socket says IPPROTO_TCP (uvicorn's own sockets say 0), and without it each keep-alive
    response waits about 40 ms for the client's delayed ACK. Linux copies TCP_NODELAY to accepted sockets.
    Listening from here on, a connection made while workers still load waits in the backlog.
    """
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(backlog)
    sock.set_inheritable(True)
    return sock
