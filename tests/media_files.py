"""Media files for tests: pictures and WAV sound made on the spot, small real videos and audio
from tests/fixtures/av/ (see its README)."""

from __future__ import annotations

import io
import wave
from pathlib import Path

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "av"


def picture(width: int = 300, height: int = 200, fmt: str = "PNG", color=(108, 92, 231),
            orientation: int | None = None) -> bytes:
    from PIL import Image

    img = Image.new("RGB", (width, height), color)
    # A stripe, so two pictures of one size and colour can still differ when asked.
    for x in range(min(width, 10)):
        img.putpixel((x, 0), (255, 255, 255))
    out = io.BytesIO()
    kwargs = {}
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        kwargs["exif"] = exif
    img.save(out, fmt, **kwargs)
    return out.getvalue()


def wav(seconds: float = 2.0, rate: int = 8000) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\0\0" * int(rate * seconds))
    return out.getvalue()


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()
