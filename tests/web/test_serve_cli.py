"""``suar serve`` refuses to start on a database that is not ready, and runs several workers."""

from __future__ import annotations

import gc
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from suar.cli.app import app
from suar.web import create_app

from .nodes import Node
from .processes import start_on_free_port, stop


def test_serve_refuses_a_database_without_the_schema(tmp_path: Path) -> None:
    env = {"SUAR_DATA_DIR": str(tmp_path / "data"), "SUAR_KEY_DIR": str(tmp_path / "keys")}
    result = CliRunner().invoke(app, ["serve", "--port", "1"], env=env)
    assert result.exit_code == 2
    assert "suar db upgrade" in result.output


def test_serve_wants_both_halves_of_a_certificate(tmp_path: Path) -> None:
    result = CliRunner().invoke(app, ["serve", "--ssl-certfile", str(tmp_path / "c.pem")])
    assert result.exit_code == 2
    assert "--ssl-keyfile" in result.output


@pytest.mark.slow
def test_serve_with_two_workers_answers_api_tokens_in_each(tmp_path: Path) -> None:
    env = {name: value for name, value in os.environ.items() if not name.startswith("SUAR_")}
    env |= {"SUAR_DATA_DIR": str(tmp_path / "data"), "SUAR_KEY_DIR": str(tmp_path / "keys")}
    env["SUAR_LOG_LEVEL"] = "INFO"  # uvicorn then logs each worker's start

    def suar(*args: str) -> str:
        done = subprocess.run(
            [sys.executable, "-m", "suar", *args], env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    suar("db", "upgrade")
    suar("user", "add", "budi", "--role", "analyst", "--no-password")
    token = suar("token", "create", "budi").split()[-1]
    # A worker logs "Application startup complete" once its start-up is done,
    # just before it listens on the socket the parent bound; until one does,
    # connecting is refused.
    process, port = start_on_free_port(
        lambda port: (
            [sys.executable, "-m", "suar", "serve", "--port", str(port)] + ["--workers", "2"]
        ),
        env=env,
        log=tmp_path / "serve.log",
        is_up=lambda _port, log: log.count("Application startup complete") >= 2,
    )
    url = f"http://127.0.0.1:{port}/api/v1/me"
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        deadline = time.monotonic() + 60
        answers = []
        # Each request on its own connection: the kernel spreads them over the workers.
        while len(answers) < 12:
            try:
                with urllib.request.urlopen(request, timeout=10) as answer:
                    answers.append(json.load(answer)["username"])
            except urllib.error.URLError as refused:
                assert not answers and time.monotonic() < deadline, refused
                time.sleep(0.1)
        assert answers == ["budi"] * 12
    finally:
        stop(process)


@pytest.mark.parametrize("freeze", [False, True])
def test_a_serving_app_freezes_its_start_up_heap_and_a_test_app_does_not(
    node: Node, freeze: bool
) -> None:
    # Full collections walking start-up objects stalled serving processes for
    # ~85 ms every few hundred requests; only a process that serves freezes them.
    web_app = create_app(node.settings, database=node.db, clock=node.clock, freeze_heap=freeze)
    gc.unfreeze()
    try:
        with TestClient(web_app) as client:
            assert client.get("/healthz").status_code == 200
            assert (gc.get_freeze_count() > 0) is freeze
    finally:
        gc.unfreeze()
