"""Open a page in real headless Chromium: its DOM, its console errors, a screenshot.

Chromium comes from the Debian package `chromium` (`make browser` installs it). It
runs with a throw-away profile and with its background networking off; the page is a
local file and the report's Content-Security-Policy forbids every fetch, so nothing
leaves the machine.

Console errors are caught two ways, because either alone can miss something:

- a probe script is put at the top of a *copy* of the page (the report itself has no
  script); it records uncaught errors, failed resource loads, unhandled promise
  rejections, Content-Security-Policy violations and `console.error` calls in an
  attribute of `<html>`, which `--dump-dom` returns; it also marks the page
  ``data-console-probe="ready"`` so a probe that never ran cannot pass for a clean
  page;
- Chromium's own log (`--enable-logging=stderr`) prints every console message of the
  page as ``INFO:CONSOLE...`` and uncaught errors with ``Uncaught``; any such line is
  an error here, since the report writes nothing to the console.

`decode_png` reads the screenshot with zlib and NumPy only (no Pillow): Chromium
writes 8-bit RGB(A) with the Sub, Up and Paeth row filters, which are undone along
anti-diagonals so that each step is one vectorized NumPy operation.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import tempfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "PROBE",
    "BrowserRun",
    "chromium_path",
    "console_errors",
    "decode_png",
    "open_in_chromium",
]

#: Put first in <head> of the copy Chromium opens; see the module docstring.
PROBE = """<script>(function () {
  var root = document.documentElement, errors = [];
  function record(kind, text) {
    errors.push(kind + ": " + text);
    root.setAttribute("data-console-errors", JSON.stringify(errors));
  }
  window.addEventListener("error", function (event) {
    var target = event.target || {};
    record("error", event.message || target.src || target.href || "resource failed");
  }, true);
  window.addEventListener("unhandledrejection", function (event) {
    record("unhandledrejection", String(event.reason));
  });
  document.addEventListener("securitypolicyviolation", function (event) {
    record("csp", event.violatedDirective + " " + event.blockedURI);
  });
  var original = console.error;
  console.error = function () {
    record("console.error", Array.prototype.join.call(arguments, " "));
    return original.apply(console, arguments);
  };
  root.setAttribute("data-console-probe", "ready");
})();</script>"""

_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--enable-logging=stderr",
    "--v=0",
    "--hide-scrollbars",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
)
_CONSOLE_LINE = re.compile(r"INFO:CONSOLE|Uncaught|:CONSOLE\(")
_ERRORS_ATTRIBUTE = re.compile(r'data-console-errors="([^"]*)"')


@dataclass(frozen=True)
class BrowserRun:
    """What Chromium gave back for one page."""

    dom: str
    stderr: str
    screenshot: Path | None


def chromium_path() -> str | None:
    """The `chromium` executable on PATH, if installed."""
    return shutil.which("chromium")


def open_in_chromium(
    page: Path,
    *,
    screenshot: Path | None = None,
    window: tuple[int, int] = (1400, 4000),
    timeout_seconds: float = 120.0,
) -> BrowserRun:
    """Load a copy of `page` with `PROBE` in one headless Chromium run.

    Returns the serialized DOM after load (`--dump-dom`), Chromium's stderr and, if
    asked, the path of a `window`-sized screenshot of the top of the page.
    """
    executable = chromium_path()
    if executable is None:
        raise RuntimeError("chromium is not installed: run `make browser`")
    html = page.read_text(encoding="utf-8")
    head = html.lower().find("<head>")
    if head < 0:
        raise ValueError(f"{page} has no <head>")
    cut = head + len("<head>")
    with tempfile.TemporaryDirectory(prefix="opsmart-chromium-") as folder:
        probed = Path(folder) / page.name
        probed.write_text(html[:cut] + PROBE + html[cut:], encoding="utf-8")
        argv = [
            executable,
            *_FLAGS,
            f"--user-data-dir={folder}/profile",
            f"--window-size={window[0]},{window[1]}",
            "--dump-dom",
        ]
        if screenshot is not None:
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            screenshot.unlink(missing_ok=True)
            argv.append(f"--screenshot={screenshot}")
        result = _run([*argv, probed.resolve().as_uri()], timeout_seconds)
    return BrowserRun(dom=result.stdout, stderr=result.stderr, screenshot=screenshot)


def _run(argv: list[str], timeout_seconds: float) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        argv,
        capture_output=True,
        text=True,
        timeout=timeout_seconds,
        check=False,
        stdin=subprocess.DEVNULL,
    )
    if result.returncode != 0:
        raise RuntimeError(
            f"chromium exited {result.returncode}: {result.stderr[-2000:]}"
        )
    return result


def console_errors(run: BrowserRun) -> list[str]:
    """Every console error the probe recorded or Chromium logged; [] for a clean page.

    A DOM without the probe's ready mark counts as an error (the probe did not run).
    """
    errors = [
        f"chromium log: {line.strip()}"
        for line in run.stderr.splitlines()
        if _CONSOLE_LINE.search(line)
    ]
    if 'data-console-probe="ready"' not in run.dom:
        errors.append("probe: the console probe did not run")
    found = _ERRORS_ATTRIBUTE.search(run.dom)
    if found:
        errors.append(f"probe: {found.group(1)}")
    return errors


def decode_png(path: Path) -> NDArray[np.uint8]:
    """The pixels of an 8-bit RGB(A) non-interlaced PNG, shape (h, w, channels)."""
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError(f"{path} is not a PNG")
    position, chunks, header = 8, [], b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        position += 12 + length
    width, height, depth, color, _, _, interlace = struct.unpack(">IIBBBBB", header)
    channels = {2: 3, 6: 4}.get(color)
    if depth != 8 or channels is None or interlace:
        raise ValueError(f"{path}: only 8-bit RGB/RGBA without interlace is read")
    raw = np.frombuffer(zlib.decompress(b"".join(chunks)), dtype=np.uint8)
    rows = raw.reshape(height, width * channels + 1)
    filters = rows[:, 0].astype(np.int16)
    filtered = rows[:, 1:].reshape(height, width, channels).astype(np.int16)
    # padded[r + 1, x + 1] is pixel (r, x); row 0 and column 0 stay zero.
    padded = np.zeros((height + 1, width + 1, channels), dtype=np.int16)
    for diagonal in range(height + width - 1):
        r = np.arange(max(0, diagonal - width + 1), min(height, diagonal + 1))
        x = diagonal - r
        left = padded[r + 1, x]
        up = padded[r, x + 1]
        up_left = padded[r, x]
        kind = filters[r][:, None]
        estimate = left + up - up_left
        to_left, to_up, to_up_left = (
            np.abs(estimate - left),
            np.abs(estimate - up),
            np.abs(estimate - up_left),
        )
        paeth = np.where(
            (to_left <= to_up) & (to_left <= to_up_left),
            left,
            np.where(to_up <= to_up_left, up, up_left),
        )
        predictor = np.select(
            [kind == 1, kind == 2, kind == 3, kind == 4],
            [left, up, (left + up) // 2, paeth],
            default=0,
        )
        padded[r + 1, x + 1] = (filtered[r, x] + predictor) & 0xFF
    return padded[1:, 1:].astype(np.uint8)
