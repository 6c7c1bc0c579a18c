"""The early-warning API and pages: alerts with triage, campaigns, posts, indicators, search.

The node is filled with the bundled demo set through the real ingest pipeline.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from suar.access import Actor, Role
from suar.demo import write_shifted
from suar.ingest import Ingest, IngestOptions
from suar.store.dashboard import alert_page

from .nodes import Node, csrf_token, sign_in

THAI_LINE = "@myawadee.jobs"


@pytest.fixture
def filled(node: Node, tmp_path: Path) -> Node:
    """The test node with the demo posts ingested (dates ending at the node's clock)."""
    path = tmp_path / "demo.jsonl"
    write_shifted(path, node.clock.now)
    Ingest(
        node.db,
        Actor.operator("tests"),
        IngestOptions(source="demo", batch_size=20),
        clock=node.clock,
    ).run([str(path)])
    return node


def _first_new_alert(node: Node) -> int:
    with node.db.read() as session:
        return alert_page(session, statuses=["new"], limit=1)[0].id


def test_the_alert_list_pages_with_a_cursor_and_filters_by_status(filled: Node) -> None:
    with filled.client() as client:
        headers = filled.bearer(Role.ANALYST)
        first = client.get("/api/v1/alerts", params={"limit": 2}, headers=headers).json()
        assert len(first["items"]) == 2 and first["next_cursor"]
        second = client.get(
            "/api/v1/alerts", params={"limit": 2, "cursor": first["next_cursor"]}, headers=headers
        ).json()
        seen = [a["id"] for a in first["items"] + second["items"]]
        assert seen == sorted(seen, reverse=True) and len(set(seen)) == 4
        new = client.get("/api/v1/alerts", params={"status": "new"}, headers=headers).json()
        assert new["items"] and {a["status"] for a in new["items"]} == {"new"}


def test_triage_through_the_api_follows_the_lifecycle_and_needs_a_reason(filled: Node) -> None:
    alert_id = _first_new_alert(filled)
    headers = filled.bearer(Role.ANALYST)
    with filled.client() as client:
        url = f"/api/v1/alerts/{alert_id}/triage"
        early = client.post(url, json={"status": "escalated", "reason": "x"}, headers=headers)
        assert early.status_code == 400
        assert early.json()["error"]["code"] == "invalid_transition"
        ok = client.post(url, json={"status": "acknowledged"}, headers=headers)
        assert ok.status_code == 200 and ok.json()["status"] == "acknowledged"
        bare = client.post(url, json={"status": "dismissed"}, headers=headers)
        assert bare.status_code == 400
        done = client.post(
            url, json={"status": "dismissed", "reason": "awareness post"}, headers=headers
        ).json()
        assert [e["status"] for e in done["events"]] == ["new", "acknowledged", "dismissed"]
        assert done["events"][-1]["actor"] == "user:analyst"
        investigator = client.post(
            url, json={"status": "acknowledged"}, headers=filled.bearer(Role.INVESTIGATOR)
        )
        assert investigator.status_code == 403
        missing = client.get("/api/v1/alerts/999999", headers=headers)
        assert missing.status_code == 404


def test_a_campaign_shows_its_posts_with_evidence_cut_at_the_stored_spans(filled: Node) -> None:
    headers = filled.bearer(Role.ANALYST)
    with filled.client() as client:
        found = client.get(f"/api/v1/indicators/line/{THAI_LINE}", headers=headers).json()
        assert found["posts"] >= 20 and found["campaigns"]
        ref = found["campaigns"][0]["campaign"]
        detail = client.get(f"/api/v1/campaigns/{ref}", headers=headers).json()
        assert detail["languages"].get("th", 0) >= 20
        assert any(d["name"] for d in detail["destinations"])
        assert sum(n for _, n in detail["timeline"]) == detail["posts"]
        posts = client.get(f"/api/v1/campaigns/{ref}/posts", headers=headers).json()["items"]
    for post in posts:
        text = post["text"]
        for ind in post["finding"]["indicators"]:
            assert text[ind["span"]["start"] : ind["span"]["end"]] == ind["evidence"]
        assert any(i["evidence"] == THAI_LINE for i in post["finding"]["indicators"])


def test_a_merged_campaign_leads_to_the_campaign_that_holds_its_posts(filled: Node) -> None:
    headers = filled.bearer(Role.ANALYST)
    with filled.client() as client:
        live = client.get("/api/v1/campaigns", params={"limit": 500}, headers=headers).json()
        merged = [
            m
            for c in live["items"]
            for m in client.get(f"/api/v1/campaigns/{c['ref']}", headers=headers).json()[
                "merged_from"
            ]
        ]
        assert merged, "the demo set's bridge post merges two campaigns"
        old = client.get(f"/api/v1/campaigns/{merged[0]['ref']}", headers=headers).json()
        posts = client.get(
            f"/api/v1/campaigns/{merged[0]['ref']}/posts", params={"limit": 5}, headers=headers
        ).json()["items"]
    assert old["merged_into"] == old["live"] != old["ref"]
    assert posts and {post["campaign"] for post in posts} == {old["live"]}


def test_a_campaigns_posts_page_with_a_cursor_each_post_once_newest_first(filled: Node) -> None:
    headers = filled.bearer(Role.ANALYST)
    with filled.client() as client:
        live = client.get("/api/v1/campaigns", params={"limit": 500}, headers=headers).json()
        biggest = max(live["items"], key=lambda c: c["posts"])
        ref, seen, cursor = biggest["ref"], [], None
        while True:
            params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
            page = client.get(f"/api/v1/campaigns/{ref}/posts", params=params, headers=headers)
            body = page.json()
            seen += body["items"]
            cursor = body["next_cursor"]
            if cursor is None:
                break
        unknown = client.get("/api/v1/campaigns/cmp_00000000/posts", headers=headers)
    ids = [post["id"] for post in seen]
    assert ids == sorted(set(ids), reverse=True) and len(ids) == biggest["posts"]
    assert {post["campaign"] for post in seen} == {ref}
    assert all(post["finding"]["flags"] or post["finding"]["indicators"] for post in seen)
    assert unknown.status_code == 404


def test_posts_and_findings_are_readable_by_post_readers_only(filled: Node) -> None:
    with filled.client() as client:
        page = client.get(
            "/api/v1/posts", params={"lang": "km", "limit": 3}, headers=filled.bearer(Role.LIAISON)
        ).json()
        assert page["items"] and {p["lang"] for p in page["items"]} == {"km"}
        post_id = page["items"][0]["id"]
        finding = client.get(
            f"/api/v1/posts/{post_id}/finding", headers=filled.bearer(Role.INVESTIGATOR)
        ).json()
        text = page["items"][0]["text"]
        for flag in finding["flags"]:
            assert text[flag["span"]["start"] : flag["span"]["end"]] == flag["evidence"]
        refused = client.get(f"/api/v1/posts/{post_id}", headers=filled.bearer(Role.AUDITOR))
        assert refused.status_code == 403


def test_the_watchlist_takes_a_value_and_raises_alerts_for_stored_posts(filled: Node) -> None:
    headers = filled.bearer(Role.LIAISON)
    with filled.client() as client:
        added = client.post(
            "/api/v1/watchlist",
            json={"kind": "telegram", "value": "@sihanouk_hr_team", "note": "test"},
            headers=headers,
        )
        assert added.status_code == 201, added.text
        assert added.json()["alerts"]
        again = client.post(
            "/api/v1/watchlist",
            json={"kind": "telegram", "value": "@sihanouk_hr_team"},
            headers=headers,
        )
        assert again.status_code == 200 and not again.json()["created"]
        listed = client.get("/api/v1/watchlist", headers=headers).json()["items"]
    assert listed[0]["value"] == added.json()["entry"]["value"]


def test_an_analyst_triages_an_alert_in_the_ui_with_a_reason(filled: Node) -> None:
    alert_id = _first_new_alert(filled)
    with filled.client() as client:
        sign_in(client, Role.ANALYST)
        token = csrf_token(client, "/alerts")
        queue = client.get("/alerts")
        assert f'id="alert-{alert_id}"' in queue.text
        moved = client.post(
            f"/alerts/{alert_id}/triage",
            data={"csrf_token": token, "status": "acknowledged", "next": "/alerts"},
        )
        assert moved.status_code == 303 and moved.headers["location"] == "/alerts"
        refused = client.post(
            f"/alerts/{alert_id}/triage",
            data={"csrf_token": token, "status": "escalated", "reason": "  "},
        )
        assert refused.status_code == 400
        assert "Give a reason" in refused.text
        forged = client.post(
            f"/alerts/{alert_id}/triage", data={"status": "escalated", "reason": "x"}
        )
        assert forged.status_code == 403
        client.post(
            f"/alerts/{alert_id}/triage",
            data={"csrf_token": token, "status": "escalated", "reason": "<b>same LINE</b>"},
        )
        page = client.get(f"/alerts/{alert_id}")
    assert "&lt;b&gt;same LINE&lt;/b&gt;" in page.text
    assert re.search(r'id="alert-status">[^<]*Escalated', page.text)


def test_the_campaign_page_marks_evidence_and_escapes_the_post(filled: Node) -> None:
    with filled.client() as client:
        sign_in(client, Role.ANALYST)
        found = client.get("/search", params={"q": "myawadee"})
        assert found.status_code == 200
        ref = re.search(r'href="/campaigns/(cmp_[0-9a-f]+)"', found.text)
        assert ref is not None
        page = client.get(f"/campaigns/{ref.group(1)}")
        dashboard = client.get("/")
    assert page.status_code == 200
    assert f'<mark class="ind" title="line: {THAI_LINE}">{THAI_LINE}</mark>' in page.text
    assert 'lang="th"' in page.text and "<svg" in page.text
    assert 'id="card-alerts"' in dashboard.text and 'class="chart"' in dashboard.text


def test_the_indicator_page_lists_where_a_value_was_seen(filled: Node) -> None:
    with filled.client() as client:
        sign_in(client, Role.LIAISON)
        page = client.get(f"/indicators/line/{THAI_LINE.replace('@', '%40')}")
        missing = client.get("/indicators/not-a-kind/x")
    assert page.status_code == 200 and THAI_LINE in page.text
    assert "/campaigns/cmp_" in page.text
    assert missing.status_code == 404


def test_search_escapes_its_term_and_finds_nothing_for_a_stranger(
    filled: Node, client: TestClient
) -> None:
    sign_in(client, Role.ANALYST)
    page = client.get("/search", params={"q": "<script>x</script>"})
    assert page.status_code == 200
    assert "<script>x</script>" not in page.text and "&lt;script&gt;" in page.text
