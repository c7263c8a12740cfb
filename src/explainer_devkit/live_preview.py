"""`invoke livereload` as a subprocess, for the tests and the benchmark: started on a free port,
waited for until it serves a page, stopped (with its whole process group) afterwards."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class LivePreviewError(RuntimeError):
    """The preview exited or never served the page; the message holds its output."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_livereload(
    root: Path, log: Path, ready_path: str, *, timeout: float = 120, env: dict | None = None
) -> Iterator[int]:
    """Run `invoke livereload` in `root` (output to `log`) until `ready_path` is served with
    200; yields the port."""
    port = free_port()
    with log.open("w") as handle:
        server = subprocess.Popen(
            [sys.executable, "-m", "invoke", "livereload", "--port", str(port)],
            cwd=root,
            stdout=handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        )
    try:
        _wait_until_served(f"http://127.0.0.1:{port}{ready_path}", timeout, server, log)
        yield port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def _wait_until_served(url: str, timeout: float, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if server.poll() is not None:
            raise LivePreviewError(f"livereload exited early:\n{log.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise LivePreviewError(f"{url} not served within {timeout}s:\n{log.read_text()}")
        time.sleep(0.2)
