"""``suar demo``: a fresh demo node with campaigns in several scripts and alerts in every state."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from suar.demo import MARKER, DemoNode, NotADemoDirectory, build_demo, demo_records
from suar.demoset import records
from suar.store import UserRepository
from suar.store.campaigns import CampaignRepository

ROOT = Path(__file__).resolve().parents[2]


def test_every_demo_record_says_it_is_demo_data() -> None:
    for record in demo_records():
        assert record["demo"] is True and "DEMO DATA" in record["note"]
        assert record["url"].startswith("https://demo.invalid/")


def test_the_bundled_set_is_what_the_generator_writes() -> None:
    bundled = (ROOT / "src/suar/data/demo/posts.jsonl").read_text(encoding="utf-8").splitlines()
    generated = [json.dumps(r, ensure_ascii=False, sort_keys=True) for r in records()]
    assert bundled == generated, "run: python -m suar.demoset > src/suar/data/demo/posts.jsonl"


@pytest.fixture(scope="module")
def demo_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoNode]:
    node = build_demo(tmp_path_factory.mktemp("demo") / "data", password="demo-password-1")
    yield node
    node.db.dispose()


def test_the_demo_has_campaigns_in_several_scripts(demo_node: DemoNode) -> None:
    with demo_node.db.read() as session:
        live = CampaignRepository(session).list_live(min_posts=3, limit=100)
    langs = {lang for c in live for lang in c.summary.get("languages", {})}
    assert {"th", "km", "my", "id", "vi", "zh", "en"} <= langs
    assert len(live) >= 6


def test_the_demo_has_alerts_in_every_state(demo_node: DemoNode) -> None:
    assert set(demo_node.alerts) == {"new", "acknowledged", "escalated", "dismissed"}


def test_the_demo_user_signs_in_with_the_printed_password(demo_node: DemoNode) -> None:
    with demo_node.db.read() as session:
        user = UserRepository(session).get("demo")
    assert user is not None and set(user.roles) == {"analyst", "auditor"}
    assert demo_node.password == "demo-password-1"


def test_the_demo_refuses_a_directory_holding_another_database(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "suar.db").write_bytes(b"not a demo")
    with pytest.raises(NotADemoDirectory):
        build_demo(data)
    assert (data / "suar.db").read_bytes() == b"not a demo"
    assert not (data / MARKER).exists()
