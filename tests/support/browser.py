"""Headless Chromium for tests that must see a page as a person would: a screenshot, decoded.

Tests use the `screenshot` fixture (tests/conftest.py loads this file): it renders an HTML file
in Debian's chromium with no network and returns the picture as rows of RGB pixels, so a test
can check that charts and bars were really drawn. Chromium is a system package (.ci/run
installs it); without it the fixture fails, it does not skip: these tests are part of the suite.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import tempfile
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

#: Flags that keep Chromium off the network and quiet in a sandbox without a display.
_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--force-device-scale-factor=1",
)


@dataclass(frozen=True)
class Picture:
    """A decoded screenshot: `rows[y][x]` is an (r, g, b) tuple."""

    width: int
    height: int
    rows: tuple[tuple[tuple[int, int, int], ...], ...]

    def colours(self) -> Counter[tuple[int, int, int]]:
        """How many pixels have each colour."""
        return Counter(px for row in self.rows for px in row)

    def count_near(self, colour: tuple[int, int, int], tolerance: int = 12) -> int:
        """Pixels within `tolerance` of `colour` on every channel (anti-aliasing shifts edges)."""
        return sum(
            n
            for c, n in self.colours().items()
            if all(abs(a - b) <= tolerance for a, b in zip(c, colour, strict=True))
        )

    def non_background(self, background: tuple[int, int, int] = (255, 255, 255)) -> int:
        return sum(n for c, n in self.colours().items() if c != background)


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        raise RuntimeError("chromium is not installed (apt-get install chromium)")
    return found


def screenshot(page: Path, out: Path, width: int = 1200, height: int = 900) -> Picture:
    """Render `page` (a local HTML file) headless and return the screenshot, also saved at `out`."""
    with tempfile.TemporaryDirectory(prefix="hembesok-chromium-") as profile:
        subprocess.run(
            [
                chromium(),
                *_FLAGS,
                f"--user-data-dir={profile}",
                f"--window-size={width},{height}",
                f"--screenshot={out}",
                page.resolve().as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    return read_png(out.read_bytes())


def read_png(data: bytes) -> Picture:
    """Decode an 8-bit RGB or RGBA, non-interlaced PNG (what Chromium writes) with the stdlib."""
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG")
    pos, idat = 8, b""
    width = height = channels = 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        if kind == b"IHDR":
            width, height, depth, colour_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or interlace or colour_type not in (2, 6):
                raise ValueError("only 8-bit RGB/RGBA non-interlaced PNGs are read here")
            channels = 3 if colour_type == 2 else 4
        elif kind == b"IDAT":
            idat += body
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[tuple[tuple[int, int, int], ...]] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        _unfilter(kind, line, previous, channels)
        rows.append(tuple(tuple(line[x : x + 3]) for x in range(0, stride, channels)))  # type: ignore[misc]
        previous = line
    return Picture(width, height, tuple(rows))


def _unfilter(kind: int, line: bytearray, previous: bytearray, bpp: int) -> None:
    for i in range(len(line)):
        left = line[i - bpp] if i >= bpp else 0
        up = previous[i]
        if kind == 1:
            line[i] = (line[i] + left) & 0xFF
        elif kind == 2:
            line[i] = (line[i] + up) & 0xFF
        elif kind == 3:
            line[i] = (line[i] + (left + up) // 2) & 0xFF
        elif kind == 4:
            corner = previous[i - bpp] if i >= bpp else 0
            p = left + up - corner
            pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
            pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
            line[i] = (line[i] + pred) & 0xFF
