"""Serve every emulator on a free loopback port in a background thread (tests, the seed and
benchmarks when the app is not running). Yields the base URL to use as EMULATOR_URL."""

from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from typing import Iterator

from dreamsuite.platforms.sandbox.serve import free_port


@contextmanager
def serve_emulators(*, with_control: bool = False, store=None) -> Iterator[tuple[str, dict]]:
    import uvicorn

    from dreamsuite.platforms.emulators import create_app

    app, emulators = create_app(with_control=with_control, store=store)
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
        yield f"http://127.0.0.1:{port}", emulators
    finally:
        server.should_exit = True
        thread.join(5)
