"""Two workers on one shared socket take connections by load (matcher.serving.acceptor), not all by the first awake."""
from __future__ import annotations

import asyncio
import socket
import sys
import threading
import time

import pytest

from matcher.serving.acceptor import BalancedLoop, BalancedServer


class Echo(asyncio.Protocol):
    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        self.transport.write(data)


class Worker:
    """A BalancedLoop on its own thread serving ``sock`` (a worker process, minus the process)."""

    def __init__(self, sock: socket.socket) -> None:
        self.loop = BalancedLoop()
        started = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self.loop)

            async def start() -> None:
                self.server = await self.loop.create_server(Echo, sock=sock)
                started.set()

            self.loop.run_until_complete(start())
            self.loop.run_forever()

        self.thread = threading.Thread(target=run, daemon=True)
        self.thread.start()
        assert started.wait(10)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture(autouse=True)
def quick_thread_switches():
    """Both workers share this process's GIL (real workers are processes): hand it over within 0.1 ms rather
    than the default 5, which is longer than the acceptor's per-connection wait."""
    previous = sys.getswitchinterval()
    sys.setswitchinterval(0.0001)
    yield
    sys.setswitchinterval(previous)


@pytest.fixture
def workers():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    copy = listener.dup()  # each worker holds its own descriptor, as after spawn
    pair = [Worker(listener), Worker(copy)]
    yield pair, listener.getsockname()
    for worker in pair:
        worker.stop()
    listener.close()
    copy.close()


def _until(condition, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def _connect(address) -> socket.socket:
    client = socket.create_connection(address, timeout=10)
    client.sendall(b"ping")
    assert client.recv(4) == b"ping"  # accepted and served
    return client


def test_keep_alive_connections_are_shared_evenly_and_counted_until_closed(workers):
    pair, address = workers
    clients = [_connect(address) for _ in range(16)]
    counts = [worker.server.open_connections for worker in pair]
    assert sum(counts) == 16 and abs(counts[0] - counts[1]) <= 2, counts
    for client in clients:
        client.close()
    _until(lambda: all(worker.server.open_connections == 0 for worker in pair))


def test_a_worker_holding_connections_leaves_new_ones_to_the_other():
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    address, copy = listener.getsockname(), listener.dup()
    busy = Worker(listener)
    held = [_connect(address) for _ in range(8)]  # the only worker so far takes them all
    idle = Worker(copy)
    try:
        fresh = [_connect(address) for _ in range(3)]  # it waits 8 ms before accepting, the other 0-2 ms
        assert (busy.server.open_connections, idle.server.open_connections) == (8, 3)
        for client in held + fresh:
            client.close()
    finally:
        busy.stop()
        idle.stop()
        listener.close()
        copy.close()


def test_closing_stops_accepting(workers):
    pair, address = workers
    for worker in pair:
        worker.loop.call_soon_threadsafe(worker.server.close)
    _until(lambda: all(isinstance(w.server, BalancedServer) and w.server._closed for w in pair))
    client = socket.create_connection(address, timeout=10)  # queued in the backlog, never served
    client.settimeout(0.3)
    client.sendall(b"ping")
    with pytest.raises(TimeoutError):
        client.recv(4)
    client.close()
