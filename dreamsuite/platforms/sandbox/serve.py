"""Serve the sandbox platform on a free loopback port in a background thread.

For when the app is not running: the demo seed, the benchmarks and the tests' own server.
"""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from typing import Iterator


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serve_app(app) -> Iterator[str]:
    """Serve an ASGI app on a free loopback port in a background thread; yields its base URL
    once it accepts connections (the emulators and the tests' fake servers use it too)."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(5)


@contextmanager
def serve_sandbox(*, with_control: bool = False) -> Iterator[str]:
    """Yields the base URL; `with_control` adds the failure-injection endpoints (tests)."""
    from dreamsuite.platforms.sandbox.server import create_app

    with serve_app(create_app(with_control=with_control)) as url:
        yield url
