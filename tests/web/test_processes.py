"""The test servers' start-up survives a free port being taken before the server binds it."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from . import processes

# A stand-in server: binds the port it is given, says so, and waits.
_SERVER = (
    "import socket, sys, time\n"
    "s = socket.socket()\n"
    "s.bind(('127.0.0.1', int(sys.argv[1])))\n"
    "s.listen()\n"
    "print('listening', flush=True)\n"
    "time.sleep(60)\n"
)


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])


def test_a_server_whose_port_was_taken_meanwhile_starts_again_on_another(
    tmp_path: Path, taken_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    offered = iter([taken_port, taken_port, processes.free_port()])
    monkeypatch.setattr(processes, "free_port", lambda: next(offered))
    process, port = processes.start_on_free_port(
        lambda port: [sys.executable, "-c", _SERVER, str(port)],
        env={},
        log=tmp_path / "server.log",
        is_up=lambda _port, log: "listening" in log,
    )
    try:
        assert port != taken_port
        assert process.poll() is None
    finally:
        processes.stop(process)


def test_a_server_that_fails_for_another_reason_fails_the_test_with_its_log(
    tmp_path: Path,
) -> None:
    with pytest.raises(AssertionError, match="no such table"):
        processes.start_on_free_port(
            lambda port: [sys.executable, "-c", "raise SystemExit('no such table')"],
            env={},
            log=tmp_path / "server.log",
            is_up=lambda _port, log: False,
        )
