"""Servers the tests start as separate processes, on a free port of 127.0.0.1.

A port found free can be taken by another process (the other test worker, or
an outgoing connection's ephemeral port) before the server binds it; the
server then exits with "address already in use", and it is started again on
another port instead of failing the test.
"""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path

#: Starts tried before a port clash fails the test.
ATTEMPTS = 5


def free_port() -> int:
    """A port of 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_on_free_port(
    command: Callable[[int], list[str]],
    *,
    env: dict[str, str],
    log: Path,
    is_up: Callable[[int, str], bool],
    timeout: float = 60.0,
) -> tuple[subprocess.Popen[bytes], int]:
    """Run ``command(port)`` with its output in ``log`` until ``is_up(port, log text)``.

    Returns the process and its port. A start that lost its port to another
    process is tried again on a new one; any other exit, or no answer within
    ``timeout`` seconds, fails with the end of the log.
    """
    for _ in range(ATTEMPTS):
        port = free_port()
        with log.open("wb") as sink:
            process = subprocess.Popen(
                command(port), env=env, stdout=sink, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + timeout
        while True:
            text = log.read_text(encoding="utf-8", errors="replace")
            if process.poll() is not None:
                if "address already in use" in text.lower():
                    break  # the port went to someone else: another one
                raise AssertionError(f"{' '.join(command(port))} exited: {text[-2000:]}")
            if is_up(port, text):
                return process, port
            if time.monotonic() > deadline:
                stop(process)
                raise AssertionError(f"no answer within {timeout:.0f} s: {text[-2000:]}")
            time.sleep(0.2)
    raise AssertionError(f"every one of {ATTEMPTS} free ports was taken before the server bound it")


def answers_health(port: int, _log: str) -> bool:
    """Whether the node on ``port`` answers ``/healthz`` with 200."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
            return bool(response.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def stop(process: subprocess.Popen[bytes]) -> None:
    """Terminate ``process``, and kill it if it has not exited within 20 s."""
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=20)
