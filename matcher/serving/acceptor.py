"""Connections spread over the worker processes by load: one listening socket shared by every worker, and the
worker holding fewer open connections accepts first.

Clients that keep connections alive (a reverse proxy's upstream pool, a load generator) open a few and reuse
them, so how those few are shared decides how the work is shared. With one socket per worker (SO_REUSEPORT)
the kernel hashes each connection to a worker: 16 connections split 10/6 or worse about half the time, and the
worker with 10 queues requests while the other idles. A plain shared socket is worse: the worker that wakes
first accepts everything waiting (asyncio and libuv accept up to a backlog at a time). Here each worker, told a
connection is waiting, waits a millisecond per connection it already holds (at most MAX_DELAY_S) before taking
just that one, so the less-loaded worker, and a worker not stuck in a long request, takes it first; nginx's
``accept_mutex`` and Node's cluster round-robin answer the same problem.

:class:`BalancedLoop` is the event loop ``matcher serve`` gives uvicorn's workers (uvicorn's ``loop`` setting
takes a loop factory): its ``create_server`` on a ready-made socket, what uvicorn calls with the socket the
supervisor shares, returns a :class:`BalancedServer` instead of accepting everything at once.
"""
from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Callable
from typing import Any

import uvloop

logger = logging.getLogger(__name__)

DELAY_PER_CONNECTION_S = 0.001
"""How long a worker waits per open connection of its own before accepting (timers tick in milliseconds)."""
MAX_DELAY_S = 0.010
"""The longest wait: with many connections each worker holds, hashing-like spread is even enough anyway."""
BACKLOG = 2048
"""Connections the shared socket queues while every worker is busy, unless uvicorn asks for another number."""


class BalancedServer:
    """Accepts one connection at a time from a shared listening socket, after a wait that grows with the
    connections this worker already serves. Offers what uvicorn uses of ``asyncio.Server``."""

    def __init__(self, loop: asyncio.AbstractEventLoop, sock: socket.socket,
                 protocol_factory: Callable[[], asyncio.Protocol], backlog: int = BACKLOG) -> None:
        self._loop, self._sock, self._protocol_factory = loop, sock, protocol_factory
        self.sockets = [sock]
        self.open_connections = 0
        self._closed = False
        sock.setblocking(False)
        sock.listen(backlog)
        loop.add_reader(sock.fileno(), self._readable)

    def _readable(self) -> None:
        """A connection is waiting: stop watching (the socket stays readable) and take it after our wait."""
        self._loop.remove_reader(self._sock.fileno())
        delay = min(self.open_connections * DELAY_PER_CONNECTION_S, MAX_DELAY_S)
        if delay:
            self._loop.call_later(delay, self._accept)
        else:
            self._accept()

    def _accept(self) -> None:
        if self._closed:
            return
        try:
            connection, _ = self._sock.accept()
        except (BlockingIOError, InterruptedError, ConnectionAbortedError):
            pass  # another worker took it first
        except OSError as error:  # out of file descriptors, say: try again later rather than spin
            logger.warning("accepting a connection failed: %s", error)
            self._loop.call_later(MAX_DELAY_S, self._watch)
            return
        else:
            connection.setblocking(False)
            self._loop.create_task(self._serve(connection))
        self._watch()

    def _watch(self) -> None:
        if not self._closed:
            self._loop.add_reader(self._sock.fileno(), self._readable)

    async def _serve(self, connection: socket.socket) -> None:
        try:
            await self._loop.connect_accepted_socket(self._counted_protocol, sock=connection)
        except OSError:
            connection.close()

    def _counted_protocol(self) -> asyncio.Protocol:
        protocol = self._protocol_factory()
        self.open_connections += 1
        connection_lost = protocol.connection_lost

        def lost(error: Exception | None) -> None:
            self.open_connections -= 1
            connection_lost(error)

        protocol.connection_lost = lost  # type: ignore[method-assign]
        return protocol

    def close(self) -> None:
        """Stop accepting; connections already open are left to finish (uvicorn shuts them down)."""
        if not self._closed:
            self._closed = True
            self._loop.remove_reader(self._sock.fileno())

    async def wait_closed(self) -> None:
        return None


class BalancedLoop(uvloop.Loop):
    """uvloop whose ``create_server`` on a given plain socket serves it through a :class:`BalancedServer`."""

    async def create_server(self, protocol_factory: Callable[[], asyncio.Protocol], host: Any = None,
                            port: Any = None, *, sock: socket.socket | None = None, **options: Any) -> Any:
        if sock is None or options.get("ssl") is not None or sock.family not in (socket.AF_INET, socket.AF_INET6):
            return await super().create_server(protocol_factory, host, port, sock=sock, **options)
        return BalancedServer(self, sock, protocol_factory, options.get("backlog") or BACKLOG)
