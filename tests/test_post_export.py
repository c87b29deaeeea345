"""Posts and insights exports and the import route, through the real Starlette app: a login is
needed and names the workspace, times are in the workspace's (or the post's) timezone, formulas are
defused, an export of scheduled posts imports back as the same posts (CSV and JSON), and the
import route checks, refuses or stores the whole file. A Tokyo workspace, posts in other scripts."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from dreamsuite import db as dbmod
from dreamsuite.api import create_api
from dreamsuite.models import ContentPost, Insight, PostDestination, Role, ScheduledPost
from dreamsuite.services import auth, post_import, publish
from dreamsuite.services.post_export import post_cell
from dreamsuite.services.post_file import MAX_BYTES, undefused
from dreamsuite.services.scope import Scope
from tests.helpers import APP, add_member
from tests.test_post_import import conn

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]
TOKYO = ZoneInfo("Asia/Tokyo")
EVIL = '=HYPERLINK("https://evil.example","click")'


def artist(email: str, name: str, tz: str) -> tuple[Scope, str]:
    user_id, ws_id, token = auth.create_account(email, "password1", name, tz)
    return Scope(user_id=user_id, workspace_id=ws_id, role=Role.owner), token


def client(token: str | None = None) -> TestClient:
    c = TestClient(create_api(), base_url=APP)
    if token:
        c.cookies.set(auth.SESSION_COOKIE, token)
    return c


def local(days: int, hour: int, tz: str = "Asia/Tokyo") -> datetime:
    day = datetime.now(ZoneInfo(tz)).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 15)


@pytest.fixture
async def kaito(db, redis_url, app_url):
    """A Tokyo workspace: two scheduled posts (one to two accounts, with X's own text), one
    published with its numbers collected, one whose destination failed; another workspace's post."""
    me, token = artist("kaito@example.com", "森 Kaito Mori", "Asia/Tokyo")
    ids = {"x": conn(me, "x", "kaito_mori"), "facebook": conn(me, "facebook", "Kaito Mori Music")}
    first = await publish.schedule_post(me, "=1+1 新曲「夜明け」\n\"quoted\", with commas", [ids["x"], ids["facebook"]],
                                        local(10, 20), "Asia/Tokyo", variants={"x": "@fans 夜明け 🌅"},
                                        first_comment="-- lyrics below")
    second = await publish.schedule_post(me, "'=already quoted ☺", [ids["facebook"]], local(40, 8, "Europe/Lisbon"),
                                         "Europe/Lisbon")
    sent = await publish.schedule_post(me, EVIL, [ids["x"]], local(1, 9), "Asia/Tokyo")
    failed = await publish.schedule_post(me, "Will fail", [ids["facebook"]], local(2, 9), "Asia/Tokyo")
    at = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
    with dbmod.session() as s:
        for post_id, status, values in (
                (sent.id, "published", {"platform_post_id": "1790001", "published_at": at,
                                        "platform_url": "https://x.com/kaito_mori/status/1790001"}),
                (failed.id, "failed", {"error": "=Page token lacks pages_manage_posts"})):
            post = s.get(ScheduledPost, post_id)
            post.status = status
            dest = s.exec(select(PostDestination).where(PostDestination.post_id == post_id)).one()
            dest.status = status
            for k, v in values.items():
                setattr(dest, k, v)
        s.add(ContentPost(workspace_id=me.workspace_id, connection_id=ids["x"], platform="x",
                          platform_post_id="1790001", posted_at=at, likes=120, comments=7, shares=15, views=5400))
        s.add(Insight(workspace_id=me.workspace_id, type="content", priority="high", title="=cmd|' /C calc'!A0",
                      message="Reels at 20:00 JST do 2× better", actions=["Post at 20:00", "+ more reels"],
                      dedupe_key="k1", expires_at=at + timedelta(days=30)))
    other, other_token = artist("other@example.com", "Other Artist", "Europe/Oslo")
    await publish.schedule_post(other, "OTHER-SECRET", [conn(other, "x", "kaito_mori")], local(5, 10), "Europe/Oslo")
    with dbmod.session() as s:
        s.add(Insight(workspace_id=other.workspace_id, type="growth", title="OTHER-INSIGHT", message="m",
                      dedupe_key="k1", expires_at=at + timedelta(days=30)))
    return {"me": me, "token": token, "ids": ids, "posts": (first, second, sent, failed), "other": other,
            "other_token": other_token}


def rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


PATHS = ["/export/posts.csv", "/export/posts.json", "/export/insights.csv", "/export/insights.json"]


@pytest.mark.parametrize("path", PATHS)
def test_exports_need_a_login(kaito, path):
    for cookie in (None, "not-a-session"):
        res = client(cookie).get(path)
        assert res.status_code == 401 and "OTHER" not in res.text and "Kaito" not in res.text


def test_posts_json_has_every_destination_with_its_numbers(kaito):
    res = client(kaito["token"]).get("/export/posts.json", params={"workspace_id": kaito["other"].workspace_id})
    assert res.status_code == 200 and res.headers["cache-control"] == "no-store, private"
    assert 'filename="dreamsuite-kaito-mori-posts-all-' in res.headers["content-disposition"]
    body = res.json()
    assert body["workspace"] == "森 Kaito Mori" and body["timezone"] == "Asia/Tokyo" and "OTHER" not in res.text
    by_text = {p["text"]: p for p in body["posts"]}
    first = by_text["=1+1 新曲「夜明け」\n\"quoted\", with commas"]
    assert first["scheduled_at"] == local(10, 20).isoformat() + "+09:00" and first["timezone"] == "Asia/Tokyo"
    assert first["accounts"] == ["x:@kaito_mori", "facebook:@Kaito Mori Music"]
    assert first["variants"] == {"x": "@fans 夜明け 🌅"} and first["first_comment"] == "-- lyrics below"
    assert [(d["platform"], d["status"], d["metrics"]) for d in first["destinations"]] == [
        ("x", "pending", None), ("facebook", "pending", None)]
    lisbon = by_text["'=already quoted ☺"]
    assert lisbon["timezone"] == "Europe/Lisbon" and lisbon["scheduled_at"].startswith(local(40, 8, "Europe/Lisbon")
                                                                                        .isoformat())
    [sent] = by_text[EVIL]["destinations"]
    assert sent["status"] == "published" and sent["permalink"] == "https://x.com/kaito_mori/status/1790001"
    assert sent["published_at"] == "2026-11-20T12:00:00+09:00"  # 03:00 UTC, in the workspace's time
    assert sent["metrics"] == {"likes": 120, "comments": 7, "shares": 15, "saves": 0, "views": 5400, "plays": 0,
                               "reach": 0, "impressions": 0}
    assert by_text["Will fail"]["destinations"][0]["error"] == "=Page token lacks pages_manage_posts"


def test_posts_csv_has_a_row_per_destination_with_formulas_defused(kaito):
    res = client(kaito["token"]).get("/export/posts.csv")
    assert res.status_code == 200 and res.headers["content-type"] == "text/csv; charset=utf-8"
    table = rows(res.text)
    assert list(table[0])[:8] == ["post_id", "text", "scheduled_at", "timezone", "accounts", "first_comment", "media",
                                  "variant:x"]
    assert list(table[0])[8:] == ["post_status", "platform", "account", "connection_id", "status", "permalink",
                                  "published_at", "error", "likes", "comments", "shares", "saves", "views", "plays",
                                  "reach", "impressions"]
    assert len(table) == 5 and "OTHER" not in res.text
    first = [r for r in table if r["text"].startswith("'=1+1")]
    assert [(r["accounts"], r["platform"], r["variant:x"], r["first_comment"]) for r in first] == [
        ("x:@kaito_mori", "x", "'@fans 夜明け 🌅", "'-- lyrics below"),
        ("facebook:@Kaito Mori Music", "facebook", "'@fans 夜明け 🌅", "'-- lyrics below")]
    [sent] = [r for r in table if r["status"] == "published"]
    assert sent["text"] == "'" + EVIL and (sent["likes"], sent["views"]) == ("120", "5400")
    assert sent["published_at"] == "2026-11-20T12:00:00+09:00"
    assert [r["error"] for r in table if r["status"] == "failed"] == ["'=Page token lacks pages_manage_posts"]
    assert [r["text"] for r in table if r["timezone"] == "Europe/Lisbon"] == ["''=already quoted ☺"]
    assert not any(v.startswith(("=", "+", "@", "-")) for r in table for v in r.values())


def test_the_status_filter(kaito):
    c = client(kaito["token"])
    scheduled = c.get("/export/posts.json", params={"status": "scheduled"}).json()
    assert sorted(p["status"] for p in scheduled["posts"]) == ["scheduled", "scheduled"]
    published = rows(c.get("/export/posts.csv", params={"status": "published"}).text)
    assert [r["post_status"] for r in published] == ["published"]
    res = c.get("/export/posts.csv", params={"status": "drafts; DROP"})
    assert res.status_code == 400 and res.json() == {"error": "'status' must be all, scheduled or published."}


@pytest.mark.parametrize("fmt", ["csv", "json"])
async def test_scheduled_posts_exported_import_back_as_the_same_posts(kaito, fmt):
    """Into a workspace of the same artist's team (the same accounts connected): the same posts."""
    me = kaito["me"]
    res = client(kaito["token"]).get(f"/export/posts.{fmt}", params={"status": "scheduled"})
    new, _ = artist("team@example.com", "Kaito's team", "America/Mexico_City")
    ids = {"x": conn(new, "x", "kaito_mori"), "facebook": conn(new, "facebook", "Kaito Mori Music")}
    name = f"export.{fmt}"
    report = post_import.dry_run(new, res.content, name)
    assert report.clean and (report.posts, report.rows) == (2, 3 if fmt == "csv" else 2), report.errors
    await post_import.import_posts(new, res.content, name)

    def posts(scope: Scope) -> list[tuple]:
        with dbmod.session() as s:
            found = s.exec(select(ScheduledPost).where(ScheduledPost.workspace_id == scope.workspace_id,
                                                       ScheduledPost.status == "scheduled")
                           .order_by(ScheduledPost.scheduled_at)).all()
            dests = s.exec(select(PostDestination).where(PostDestination.workspace_id == scope.workspace_id)).all()
            return [(p.content, p.scheduled_at, p.timezone, p.variants, p.first_comment, p.media,
                     sorted(d.connection_id for d in dests if d.post_id == p.id)) for p in found]

    theirs = {kaito["ids"]["x"]: ids["x"], kaito["ids"]["facebook"]: ids["facebook"]}
    assert posts(new) == [(*p[:6], sorted(theirs[c] for c in p[6])) for p in posts(me)]
    # Exported again, the new workspace's file says the same.
    again = client(auth.new_session(new.user_id)).get(f"/export/posts.{fmt}", params={"status": "scheduled"})
    strip = (lambda t: [{k: v for k, v in r.items() if k not in ("post_id", "connection_id")} for r in rows(t)]) \
        if fmt == "csv" else (lambda t: [{k: v for k, v in p.items() if k != "post_id"} | {"destinations": [
            {k: v for k, v in d.items() if k != "connection_id"} for d in p["destinations"]]}
            for p in json.loads(t)["posts"]])
    assert strip(again.text) == strip(res.text)


def test_insights_as_csv_and_json(kaito):
    c = client(kaito["token"])
    body = c.get("/export/insights.json").json()
    assert [i["title"] for i in body["insights"]] == ["=cmd|' /C calc'!A0"] and body["timezone"] == "Asia/Tokyo"
    assert body["insights"][0]["actions"] == ["Post at 20:00", "+ more reels"]
    assert body["insights"][0]["expires_at"] == "2026-12-20T12:00:00+09:00"
    res = c.get("/export/insights.csv")
    [row] = rows(res.text)
    assert row["title"] == "'=cmd|' /C calc'!A0" and row["actions"] == "Post at 20:00 | + more reels"
    assert row["message"] == "Reels at 20:00 JST do 2× better" and row["is_read"] == "false"
    assert "OTHER" not in res.text and 'insights-' in res.headers["content-disposition"]


def test_post_cell_keeps_a_quote_the_importer_would_drop():
    assert post_cell("=x") == "'=x" and post_cell("'=x") == "''=x" and post_cell("''-x") == "'''-x"
    assert post_cell("'x") == "'x" and post_cell("-1") == "'-1"
    assert post_cell(5) == 5 and post_cell(None) == ""
    for text in ("=x", "'=x", "''@x", "'x", "x", "-- x", "\tx", "'", ""):
        assert undefused(post_cell(text)) == text


# ------------------------------------------------------------------ the import route
def post_file_to(c: TestClient, body: bytes, name: str = "posts.csv", dry: bool = False, **kw):
    return c.post("/import/posts", params={"dry_run": "1"} if dry else {}, files={"file": (name, body, "text/csv")},
                  headers={"origin": APP}, **kw)


def good_csv() -> bytes:
    return ("text,scheduled_at,accounts\r\n"
            f"Live in Ōsaka 🎤,{local(6, 19).isoformat()},x:@kaito_mori;facebook\r\n").encode()


def bad_csv() -> bytes:
    return good_csv() + f"Too early,{local(-3, 19).isoformat()},x\r\n".encode()


def count_posts() -> int:
    with dbmod.session() as s:
        return len(s.exec(select(ScheduledPost)).all())


def test_the_import_route_checks_refuses_and_imports(kaito):
    c, before = client(kaito["token"]), count_posts()
    dry = post_file_to(c, good_csv(), dry=True)
    assert dry.status_code == 200 and dry.json()["clean"] and dry.json()["posts"] == 1 and count_posts() == before
    bad = post_file_to(c, bad_csv(), dry=True).json()
    assert bad["clean"] is False and [(e["line"], e["field"]) for e in bad["errors"]] == [(3, "scheduled_at")]
    refused = post_file_to(c, bad_csv())
    assert refused.status_code == 422 and refused.json()["error"].startswith("Nothing was imported: 1 problem in")
    assert count_posts() == before
    # The raw body works too (its type or ?filename= says what it is).
    done = c.post("/import/posts", content=good_csv(), headers={"origin": APP, "content-type": "text/csv"})
    assert done.status_code == 201 and done.json()["imported"] == 1 and done.json()["destinations"] == 2
    assert count_posts() == before + 1


def test_the_import_route_refuses_visitors_viewers_other_sites_and_big_files(kaito):
    assert post_file_to(client(), good_csv()).status_code == 401
    viewer = add_member(kaito["me"].workspace_id, "fan@example.com", Role.viewer)
    res = post_file_to(client(auth.new_session(viewer.user_id)), good_csv(), dry=True)
    assert res.status_code == 403 and res.json() == {"error": "Importing posts needs the editor role; you are viewer."}
    c = client(kaito["token"])
    res = c.post("/import/posts", files={"file": ("p.csv", good_csv())}, headers={"origin": "https://evil.example"})
    assert res.status_code == 403
    res = post_file_to(c, b"x" * (MAX_BYTES + 70_000))
    assert res.status_code == 413 and "larger than 1 MB" in res.json()["error"]
    res = c.post("/import/posts", files={"note": (None, "no file here")}, headers={"origin": APP})
    assert res.status_code == 400 and res.json()["error"].startswith("Send the file as a multipart upload")
    assert count_posts() == 5  # the fixture's
