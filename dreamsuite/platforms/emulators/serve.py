"""Serve every emulator on a free loopback port in a background thread (tests, the seed and
benchmarks when the app is not running). Yields the base URL to use as EMULATOR_URL."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

from dreamsuite.platforms.sandbox.serve import serve_app


@contextmanager
def serve_emulators(*, with_control: bool = False, store=None) -> Iterator[tuple[str, dict]]:
    from dreamsuite.platforms.emulators import create_app

    app, emulators = create_app(with_control=with_control, store=store)
    with serve_app(app) as url:
        yield url, emulators
