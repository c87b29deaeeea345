"""/export/dashboard.csv|json and /report through the real Starlette app: a login is needed,
the workspace is the login's own (whatever the query says), bad dates are refused in words,
spreadsheet formulas are defused, the JSON is exactly the dashboard's data."""

from __future__ import annotations

import csv
import io
import json
from datetime import date, timedelta

import pytest
from starlette.testclient import TestClient

from dreamsuite.api import create_api
from dreamsuite.models import Role
from dreamsuite.services import auth
from dreamsuite.services.dashboard import dashboard_data
from dreamsuite.services.export import jsonable, safe_cell, slug
from dreamsuite.services.scope import Scope
from tests.helpers import APP
from tests.seed_metrics import seed_followers, seed_post

END = date(2026, 10, 31)
START = END - timedelta(days=29)
RANGE = {"start": START.isoformat(), "end": END.isoformat()}
EVIL = "=HYPERLINK(\"https://evil.example\",\"click\")"


def _artist(email: str, name: str) -> tuple[Scope, str]:
    user_id, ws_id, token = auth.create_account(email, "password1", name, "Europe/Berlin")
    return Scope(user_id=user_id, workspace_id=ws_id, role=Role.owner), token


def _client(token: str | None = None) -> TestClient:
    client = TestClient(create_api(), base_url=APP)
    if token:
        client.cookies.set(auth.SESSION_COOKIE, token)
    return client


@pytest.fixture
def two(db, app_url):
    me, token = _artist("nova@example.com", "Nova Lane & The Wävës")
    seed_followers(me, "instagram", END, [1000 + 10 * i for i in range(60)])
    seed_followers(me, "youtube", END, [500 - i for i in range(60)])  # losing subscribers: negative changes
    seed_post(me, "instagram", "p1", END - timedelta(days=3), likes=40, comments=4, reach=400, caption=EVIL)
    seed_post(me, "instagram", "p2", END - timedelta(days=5), likes=10, reach=300, caption="@SUM(1+1) <b>hi</b>")
    seed_post(me, "youtube", "v1", END - timedelta(days=2), likes=7, views=90, caption="<script>alert(1)</script>",
              url="javascript:alert(2)")
    other, other_token = _artist("other@example.com", "Other Artist")
    seed_followers(other, "instagram", END, [99_999] * 60)
    seed_post(other, "instagram", "secret", END - timedelta(days=1), likes=5000, caption="OTHER-SECRET")
    return me, token, other, other_token


@pytest.fixture
def one(db, app_url):
    return _artist("solo@example.com", "Solo")[1]


@pytest.mark.parametrize("path", ["/export/dashboard.csv", "/export/dashboard.json"])
def test_exports_need_a_login(two, path):
    for cookie in (None, "not-a-session"):
        res = _client(cookie).get(path, params=RANGE)
        assert res.status_code == 401 and res.json() == {"error": "Log in to Dream Suite to export your numbers."}
        assert "OTHER" not in res.text and "99999" not in res.text


def test_report_sends_a_visitor_to_the_login_page(two):
    res = _client().get("/report", params=RANGE, follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"].startswith(f"{APP}/login?next=%2Freport%3Fstart%3D")
    assert not res.content


def test_a_logout_ends_the_export(two):
    me, token, *_ = two
    assert _client(token).get("/export/dashboard.json", params=RANGE).status_code == 200
    auth.log_out(token)
    assert _client(token).get("/export/dashboard.json", params=RANGE).status_code == 401


@pytest.mark.parametrize("query,message", [
    ({"start": "yesterday"}, "'start' must be a date written YYYY-MM-DD, like 2026-03-01."),
    ({"end": "2026-13-01"}, "'end' must be a date written YYYY-MM-DD, like 2026-03-01."),
    ({"start": "2026-10-31", "end": "2026-10-01"}, "'start' must not be after 'end'."),
    ({"platform": "myspace"}, "'platform' must be a platform's name, like instagram or youtube."),
    ({"platform": "Instagram'; --"}, "'platform' must be a platform's name, like instagram or youtube."),
])
@pytest.mark.parametrize("path", ["/export/dashboard.csv", "/export/dashboard.json", "/report"])
def test_bad_queries_are_refused_in_words(one, path, query, message):
    res = _client(one).get(path, params=query)
    assert res.status_code == 400 and res.json() == {"error": message}


def test_json_is_the_dashboards_data(two):
    me, token, *_ = two
    res = _client(token).get("/export/dashboard.json", params=RANGE)
    assert res.status_code == 200 and res.headers["content-type"] == "application/json"
    assert res.headers["cache-control"] == "no-store, private"
    name = f"dreamsuite-nova-lane-the-waves-{START}_to_{END}.json"
    assert res.headers["content-disposition"].startswith(f"attachment; filename=\"{name}\"")
    body = res.json()
    assert body["dashboard"] == json.loads(json.dumps(jsonable(dashboard_data(me, start=START, end=END))))
    assert body["workspace"] == "Nova Lane & The Wävës" and body["start"] == START.isoformat()
    assert body["quick_stats"]["total_followers"] == 1590 + 441
    assert {p["platform"] for p in body["dashboard"]["platforms"]} == {"instagram", "youtube"}


def test_a_query_cannot_pick_another_workspace(two):
    me, token, other, _ = two
    for params in ({**RANGE, "workspace_id": other.workspace_id, "workspace": other.workspace_id},
                   {**RANGE, "platform": "instagram"}):
        for path in ("/export/dashboard.json", "/export/dashboard.csv", "/report"):
            res = _client(token).get(path, params=params)
            assert res.status_code == 200
            assert "OTHER-SECRET" not in res.text and "99999" not in res.text and "99,999" not in res.text
            assert "Other Artist" not in res.text


def test_csv_is_a_tidy_table_with_formulas_defused(two):
    me, token, *_ = two
    res = _client(token).get("/export/dashboard.csv", params=RANGE)
    assert res.status_code == 200 and res.headers["content-type"] == "text/csv; charset=utf-8"
    assert f"filename=\"dreamsuite-nova-lane-the-waves-{START}_to_{END}.csv\"" in res.headers["content-disposition"]
    rows = list(csv.reader(io.StringIO(res.text)))
    assert rows[0] == ["section", "platform", "date", "item", "metric", "value"]
    assert all(len(r) == 6 for r in rows)
    sections = {r[0] for r in rows[1:]}
    assert {"quick_stats", "followers", "platform_summary", "engagement_by_platform", "engagement_by_type",
            "top_posts"} <= sections
    followers = [r for r in rows if r[0] == "followers" and r[1] == "instagram"]
    assert len(followers) == 30 and followers[-1][2:] == [END.isoformat(), "", "followers", "1590"]
    items = {r[3] for r in rows if r[0] == "top_posts"}
    assert "'" + EVIL in items and "'@SUM(1+1) <b>hi</b>" in items
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r)
    # A negative change stays a number (no quote in front of it).
    yt = {r[4]: r[5] for r in rows if r[0] == "platform_summary" and r[1] == "youtube"}
    assert yt["change"] == "-30"


def test_platform_filter_keeps_that_platform(two):
    res = _client(two[1]).get("/export/dashboard.json", params={**RANGE, "platform": "youtube"})
    body = res.json()
    assert body["platform"] == "youtube" and "-youtube-" in res.headers["content-disposition"]
    dash = body["dashboard"]
    assert [p["platform"] for p in dash["platforms"]] == ["youtube"] and set(dash["series"]) == {"youtube"}
    assert [p["platform"] for p in dash["top_posts"]] == ["youtube"]
    assert body["quick_stats"]["total_followers"] == 441 and body["quick_stats"]["change"] == -30


def test_report_is_escaped_printable_and_in_the_artists_time(two):
    me, token, *_ = two
    res = _client(token).get("/report", params=RANGE)
    assert res.status_code == 200 and res.headers["content-type"] == "text/html; charset=utf-8"
    assert "frame-ancestors 'none'" in res.headers["content-security-policy"]
    html = res.text
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>hi</b>" not in html and "javascript:" not in html
    assert "@media print" in html and "Generated on" in html and "Europe/Berlin" in html
    assert "Nova Lane &amp; The Wävës" in html and "<svg" in html and "polyline" in html
    assert "Headline numbers" in html and "Top posts" in html and "Insights" in html and "Goals" in html


def test_safe_cell_and_slug():
    assert safe_cell("=1+1") == "'=1+1" and safe_cell("+31 6") == "'+31 6" and safe_cell("-x") == "'-x"
    assert safe_cell("@me") == "'@me" and safe_cell("\tx") == "'\tx" and safe_cell("ok") == "ok"
    assert safe_cell(-5) == -5 and safe_cell(2.5) == 2.5 and safe_cell(None) == ""
    assert slug("Nova Lane & The Wävës") == "nova-lane-the-waves" and slug("★★★") == "workspace"
