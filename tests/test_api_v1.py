"""The public REST API over real HTTP semantics (ASGI, real database, real Redis): tokens, scopes,
bodies, another workspace's ids, posts written through the composer's service and read back."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlmodel import select

from dreamsuite import db as dbm
from dreamsuite.api import create_api
from dreamsuite.api.v1_schema import AccountOut, InsightOut, MetricsOut, PostOut
from dreamsuite.models import ApiToken, DailyMetric, Insight, PlatformConnection, PostDestination, Role, ScheduledPost
from dreamsuite.services import api_tokens
from tests.helpers import add_member, make_workspace

# Imported here, not in a test: Reflex registers states in the context that first imports them
# (tests/test_state.py explains).
import dreamsuite.pages  # noqa: E402,F401

pytestmark = pytest.mark.usefixtures("close_arq_pools")
BASE = "http://app.test/api/v1"


def _client() -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=create_api()), base_url=BASE)


def _account(ws_id: int, platform: str, username: str) -> int:
    with dbm.session() as s:
        row = PlatformConnection(workspace_id=ws_id, platform=platform, platform_user_id=f"{platform}-{username}",
                                 username=username, display_name=username.title())
        s.add(row)
        s.flush()
        return row.id


class Studio:
    """A workspace (a producer duo, not the demo artist) with two accounts and tokens."""

    def __init__(self, email: str, handle: str):
        _, ws, self.owner = make_workspace(email, timezone="America/Chicago")
        self.ws_id = ws.id
        self.x = _account(ws.id, "x", handle)
        self.fb = _account(ws.id, "facebook", f"{handle}.page")
        _, self.read = api_tokens.create(self.owner, "stats board", "read")
        _, self.write = api_tokens.create(self.owner, "release script", "write")

    def auth(self, token: str | None = None) -> dict:
        return {"Authorization": f"Bearer {token or self.write}"}


def _counts() -> tuple[int, int]:
    with dbm.session() as s:
        return len(s.exec(select(ScheduledPost)).all()), len(s.exec(select(PostDestination)).all())


def _later(days: int = 3) -> str:
    return (dbm.utcnow() + timedelta(days=days)).replace(microsecond=0).isoformat()


NEW_POST = {"content": "Basement tapes vol. 2 drops Friday — preorder link in bio",
            "variants": {"facebook": "Basement Tapes Vol. 2 is out this Friday. Preorder now!"},
            "first_comment": "Tracklist below 👇", "timezone": "America/Chicago"}


# ------------------------------------------------------------------ tokens
@pytest.mark.parametrize("header", [None, "Bearer ", "Basic abc", "Bearer ds_00000000_nottherealsecretnotthere",
                                    "Bearer totally-wrong"])
async def test_missing_or_wrong_token_is_401(db, redis_url, header):
    Studio("duo@glasshouse.example", "glasshouse")
    async with _client() as c:
        r = await c.get("/accounts", headers={"Authorization": header} if header is not None else {})
    assert r.status_code == 401
    assert r.json()["error"] in ("missing_token", "invalid_token") and r.json()["message"]
    assert r.headers["www-authenticate"].startswith("Bearer")


async def test_a_token_with_one_changed_character_or_revoked_is_401(db, redis_url):
    st = Studio("duo@glasshouse.example", "glasshouse")
    forged = st.read[:-1] + ("A" if st.read[-1] != "A" else "B")
    async with _client() as c:
        assert (await c.get("/accounts", headers=st.auth(st.read))).status_code == 200
        assert (await c.get("/accounts", headers=st.auth(forged))).status_code == 401
        token_id = next(t["id"] for t in api_tokens.list_tokens(st.owner) if t["name"] == "stats board")
        assert api_tokens.revoke(st.owner, token_id) is True
        assert (await c.get("/accounts", headers=st.auth(st.read))).status_code == 401


async def test_only_the_hash_is_stored_and_last_use_is_recorded(db, redis_url):
    st = Studio("duo@glasshouse.example", "glasshouse")
    with dbm.session() as s:
        rows = s.exec(select(ApiToken)).all()
    assert all(st.write not in (r.token_hash, r.prefix, r.name) and st.write.startswith(r.prefix) or
               st.read.startswith(r.prefix) for r in rows)
    assert all(r.last_used_at is None for r in rows)
    async with _client() as c:
        await c.get("/accounts", headers=st.auth(st.read))
    used = {t["name"]: t["last_used_at"] for t in api_tokens.list_tokens(st.owner)}
    assert used["stats board"] is not None and used["release script"] is None


async def test_a_token_never_acts_above_its_creator(db, redis_url):
    st = Studio("duo@glasshouse.example", "glasshouse")
    viewer = add_member(st.ws_id, "intern@glasshouse.example", Role.viewer)
    with pytest.raises(Exception):
        api_tokens.create(viewer, "mine", "write")  # only owners make tokens
    # The owner is demoted to viewer: their write token can still read, no longer write.
    with dbm.session() as s:
        from dreamsuite.models import Membership

        m = s.exec(select(Membership).where(Membership.user_id == st.owner.user_id)).one()
        m.role = Role.viewer
        s.add(m)
    async with _client() as c:
        assert (await c.get("/posts", headers=st.auth())).status_code == 200
        r = await c.post("/posts", headers=st.auth(), json={**NEW_POST, "account_ids": [st.x],
                                                              "scheduled_at": _later()})
    assert r.status_code == 403 and r.json()["error"] == "insufficient_scope"
    assert _counts() == (0, 0)


async def test_a_read_token_cannot_write(db, redis_url):
    st = Studio("duo@glasshouse.example", "glasshouse")
    body = {**NEW_POST, "account_ids": [st.x], "scheduled_at": _later()}
    async with _client() as c:
        created = await c.post("/posts", headers=st.auth(), json=body)
        pid = created.json()["id"]
        before = _counts()
        for method, path in [("POST", "/posts"), ("PATCH", f"/posts/{pid}"), ("DELETE", f"/posts/{pid}")]:
            r = await c.request(method, path, headers=st.auth(st.read), json=body)
            assert r.status_code == 403, (method, r.text)
            assert r.json()["error"] == "insufficient_scope"
        assert (await c.get(f"/posts/{pid}", headers=st.auth(st.read))).json() == created.json()
    assert _counts() == before


# ------------------------------------------------------------------ bodies
@pytest.mark.parametrize("body,fields", [
    ({"content": "hi", "account_ids": "all", "scheduled_at": "soon"}, {"account_ids", "scheduled_at"}),
    ({"content": 12, "account_ids": [1.5], "timezone": "Mars/Olympus"}, {"content", "account_ids.0", "timezone"}),
    ({"content": "hi", "surprise": True}, {"surprise"}),
    ({"content": "hi", "draft": "yes", "fold": 3}, {"draft", "fold"}),
])
async def test_bad_bodies_are_422_with_field_details_and_store_nothing(db, redis_url, body, fields):
    st = Studio("duo@glasshouse.example", "glasshouse")
    async with _client() as c:
        r = await c.post("/posts", headers=st.auth(), json=body)
    assert r.status_code == 422, r.text
    got = r.json()
    assert got["error"] == "invalid_body" and {d["field"] for d in got["details"]} >= fields
    assert _counts() == (0, 0)


async def test_not_json_is_400_and_a_list_is_422(db, redis_url):
    st = Studio("duo@glasshouse.example", "glasshouse")
    async with _client() as c:
        r1 = await c.post("/posts", headers={**st.auth(), "Content-Type": "application/json"}, content=b"{content:")
        r2 = await c.post("/posts", headers=st.auth(), json=[NEW_POST])
    assert r1.status_code == 400 and r1.json()["error"] == "invalid_json"
    assert r2.status_code == 422
    assert _counts() == (0, 0)


async def test_the_composers_checks_come_back_per_field(db, redis_url):
    st = Studio("duo@glasshouse.example", "glasshouse")
    body = {"content": "x" * 300, "account_ids": [st.x, 999999], "scheduled_at": "2020-01-01T10:00:00",
            "timezone": "America/Chicago"}
    async with _client() as c:
        r = await c.post("/posts", headers=st.auth(), json=body)
    assert r.status_code == 422 and r.json()["error"] == "invalid_post"
    fields = {d["field"] for d in r.json()["details"]}
    assert {"account_ids", "scheduled_at", "content"} <= fields, r.json()
    assert any("280" in d["message"] for d in r.json()["details"])
    assert _counts() == (0, 0)


# ------------------------------------------------------------------ round trips
async def test_a_created_post_reads_back_identical(db, redis_url):
    st = Studio("duo@glasshouse.example", "glasshouse")
    when = _later(5)
    async with _client() as c:
        r = await c.post("/posts", headers=st.auth(), json={**NEW_POST, "account_ids": [st.x, st.fb],
                                                            "scheduled_at": when})
        assert r.status_code == 201, r.text
        created = r.json()
        assert r.headers["location"] == f"/api/v1/posts/{created['id']}"
        read = (await c.get(f"/posts/{created['id']}", headers=st.auth(st.read))).json()
        listed = (await c.get("/posts", headers=st.auth(st.read))).json()
    assert read == created and listed["data"] == [created]
    PostOut.model_validate(created)
    assert created["content"] == NEW_POST["content"] and created["variants"] == NEW_POST["variants"]
    assert created["first_comment"] == NEW_POST["first_comment"] and created["status"] == "scheduled"
    assert created["account_ids"] == [st.x, st.fb] and created["timezone"] == "America/Chicago"
    assert dbm.utcnow().fromisoformat(created["scheduled_at"]) == dbm.utcnow().fromisoformat(when)
    assert [d["status"] for d in created["destinations"]] == ["pending", "pending"]
    assert {d["platform"] for d in created["destinations"]} == {"x", "facebook"}


async def test_a_wall_clock_time_is_in_the_posts_timezone_and_a_draft_needs_no_time(db, redis_url):
    st = Studio("duo@glasshouse.example", "glasshouse")
    day = (date.today() + timedelta(days=10)).isoformat()
    async with _client() as c:
        timed = (await c.post("/posts", headers=st.auth(), json={
            "content": "Listening party at 7", "account_ids": [st.fb], "scheduled_at": f"{day}T19:00:00",
            "timezone": "America/Chicago"})).json()
        draft = await c.post("/posts", headers=st.auth(), json={"content": "idea: studio diary", "draft": True})
        draft_read = (await c.get(f"/posts/{draft.json()['id']}", headers=st.auth())).json()
    chicago = datetime.fromisoformat(f"{day}T19:00:00").replace(tzinfo=ZoneInfo("America/Chicago"))
    assert timed["local_time"] == f"{day}T19:00:00"
    assert datetime.fromisoformat(timed["scheduled_at"]) == chicago
    assert draft.status_code == 201 and draft.json()["status"] == "draft" and draft_read == draft.json()
    assert draft_read["account_ids"] == [] and draft_read["destinations"] == []


# An account dropped and another added in one update: the new destination may get the dropped
# one's id (SQLite reuses it), which the session must not still hold.
@pytest.mark.filterwarnings("error::sqlalchemy.exc.SAWarning")
async def test_update_changes_only_what_is_given(db, redis_url):
    st = Studio("duo@glasshouse.example", "glasshouse")
    async with _client() as c:
        created = (await c.post("/posts", headers=st.auth(), json={**NEW_POST, "account_ids": [st.x],
                                                                   "scheduled_at": _later()})).json()
        new_when = _later(6)
        r = await c.patch(f"/posts/{created['id']}", headers=st.auth(),
                          json={"content": "Basement tapes vol. 2: moved to next week", "account_ids": [st.fb],
                                "scheduled_at": new_when})
        assert r.status_code == 200, r.text
        updated = r.json()
        assert (await c.get(f"/posts/{created['id']}", headers=st.auth())).json() == updated
        bad = await c.patch(f"/posts/{created['id']}", headers=st.auth(), json={"content": None, "draft": 1})
    assert updated["content"] == "Basement tapes vol. 2: moved to next week"
    assert updated["account_ids"] == [st.fb] and updated["variants"] == NEW_POST["variants"]
    assert updated["first_comment"] == NEW_POST["first_comment"]
    assert dbm.utcnow().fromisoformat(updated["scheduled_at"]) == dbm.utcnow().fromisoformat(new_when)
    assert bad.status_code == 422 and {d["field"] for d in bad.json()["details"]} == {"draft"}


async def test_cancel_and_a_published_post_cannot_change(db, redis_url):
    st = Studio("duo@glasshouse.example", "glasshouse")
    async with _client() as c:
        created = (await c.post("/posts", headers=st.auth(), json={**NEW_POST, "account_ids": [st.x],
                                                                   "scheduled_at": _later()})).json()
        r = await c.delete(f"/posts/{created['id']}", headers=st.auth())
        assert r.status_code == 200 and r.json()["status"] == "cancelled"
        assert [d["status"] for d in r.json()["destinations"]] == ["cancelled"]
        other = (await c.post("/posts", headers=st.auth(), json={**NEW_POST, "account_ids": [st.fb],
                                                                 "scheduled_at": _later()})).json()
        with dbm.session() as s:  # it went out meanwhile
            s.get(ScheduledPost, other["id"]).status = "published"
            dest = s.exec(select(PostDestination).where(PostDestination.post_id == other["id"])).one()
            dest.status = "published"
        gone = await c.delete(f"/posts/{other['id']}", headers=st.auth())
        edit = await c.patch(f"/posts/{other['id']}", headers=st.auth(), json={"content": "too late"})
        after = (await c.get(f"/posts/{other['id']}", headers=st.auth())).json()
    assert gone.status_code == 409 and edit.status_code == 409
    assert after["status"] == "published" and after["content"] == NEW_POST["content"]


# ------------------------------------------------------------------ another workspace
async def test_another_workspaces_ids_are_404_and_unchanged(db, redis_url):
    mine = Studio("duo@glasshouse.example", "glasshouse")
    theirs = Studio("solo@northpier.example", "northpier")
    async with _client() as c:
        their_post = (await c.post("/posts", headers=theirs.auth(), json={
            **NEW_POST, "account_ids": [theirs.x], "scheduled_at": _later()})).json()
        pid = their_post["id"]
        for method, path, body in [("GET", f"/posts/{pid}", None), ("PATCH", f"/posts/{pid}", {"content": "mine"}),
                                   ("DELETE", f"/posts/{pid}", None), ("GET", "/posts/99999999999999", None),
                                   ("GET", "/posts/abc", None)]:
            r = await c.request(method, path, headers=mine.auth(), json=body)
            assert r.status_code == 404, (method, path, r.text)
            assert r.json()["error"] == "not_found"
        # Their account in my post: refused like an unknown account, nothing stored.
        r = await c.post("/posts", headers=mine.auth(), json={**NEW_POST, "account_ids": [theirs.x],
                                                              "scheduled_at": _later()})
        assert r.status_code == 422 and r.json()["details"][0]["field"] == "account_ids"
        mine_listed = (await c.get("/posts", headers=mine.auth())).json()["data"]
        accounts = (await c.get("/accounts", headers=mine.auth())).json()["data"]
        still = (await c.get(f"/posts/{pid}", headers=theirs.auth())).json()
    assert mine_listed == [] and {a["id"] for a in accounts} == {mine.x, mine.fb}
    assert still == their_post


# ------------------------------------------------------------------ reads
async def test_accounts_metrics_and_insights(db, redis_url):
    st = Studio("duo@glasshouse.example", "glasshouse")
    start = date(2026, 3, 2)
    with dbm.session() as s:
        for i in range(10):
            for conn, platform, base in [(st.x, "x", 1200), (st.fb, "facebook", 5400)]:
                s.add(DailyMetric(workspace_id=st.ws_id, connection_id=conn, platform=platform,
                                  date=start + timedelta(days=i), follower_count=base + 7 * i,
                                  follower_change_24h=7, engagement_total=40 + i, content_count=1))
        s.add(Insight(workspace_id=st.ws_id, type="growth", priority="high", title="Facebook is climbing",
                      message="Seven new followers a day for ten days.", actions=["Post the session video"],
                      sources=["facebook"], figures={}, dedupe_key="fb-climb",
                      expires_at=dbm.utcnow() + timedelta(days=3)))
    async with _client() as c:
        h = st.auth(st.read)
        accounts = (await c.get("/accounts", headers=h)).json()["data"]
        m = (await c.get("/metrics", headers=h, params={"platform": "facebook", "from": "2026-03-04",
                                                         "to": "2026-03-06"})).json()
        everything = (await c.get("/metrics", headers=h, params={"from": "2026-03-01", "to": "2026-03-31"})).json()
        bad = await c.get("/metrics", headers=h, params={"from": "March", "to": "2026-03-01", "platform": "myspace"})
        backwards = await c.get("/metrics", headers=h, params={"from": "2026-03-09", "to": "2026-03-01"})
        insights = (await c.get("/insights", headers=h)).json()["data"]
    assert [AccountOut.model_validate(a).platform for a in accounts] == ["x", "facebook"]
    MetricsOut.model_validate(m)
    assert [(d["date"], d["followers"]) for d in m["days"]] == [("2026-03-04", 5414), ("2026-03-05", 5421),
                                                                ("2026-03-06", 5428)]
    assert m["totals"]["facebook"] == {"followers": 5428, "follower_change": 21, "engagement": 42 + 43 + 44}
    assert len(everything["days"]) == 20 and set(everything["totals"]) == {"x", "facebook"}
    assert bad.status_code == 422 and {d["field"] for d in bad.json()["details"]} == {"from", "platform"}
    assert backwards.status_code == 422
    assert [InsightOut.model_validate(i).title for i in insights] == ["Facebook is climbing"]


async def test_openapi_schema_lists_the_routes(db, redis_url):
    async with _client() as c:
        r = await c.get("/openapi.json")
        missing = await c.get("/nothing-here", headers={"Authorization": "Bearer x"})
    assert r.status_code == 200
    doc = r.json()
    assert doc["openapi"].startswith("3.")
    assert {"/accounts", "/posts", "/posts/{post_id}", "/metrics", "/insights"} <= set(doc["paths"])
    assert set(doc["paths"]["/posts/{post_id}"]) == {"get", "patch", "delete"}
    assert "PostIn" in doc["components"]["schemas"] and "account_ids" in doc["components"]["schemas"]["PostIn"][
        "properties"]
    ref = doc["paths"]["/posts"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    assert ref.rsplit("/", 1)[1] in doc["components"]["schemas"]
    assert missing.status_code == 404 and missing.json()["error"] == "not_found"


# ------------------------------------------------------------------ the settings section
async def test_the_account_pages_section_for_owners_and_others(db, redis_url):
    from dreamsuite.services import auth
    from dreamsuite.state.api_settings import ApiSettingsState
    from tests.test_state import handler, tab

    owner_id, ws_id, token = auth.create_account("booker@tidewater.example", "password1", "Booker", "UTC")
    st = tab(ApiSettingsState, token, "/account")
    await handler(ApiSettingsState, "check_login")(st)
    await handler(ApiSettingsState, "load")(st)
    assert st.is_owner and st.tokens == [] and st.hooks == []
    handler(ApiSettingsState, "set_token_scope")(st, "write")
    await handler(ApiSettingsState, "create_token")(st, {"name": "tour bot"})
    secret = st.new_secret
    assert secret.startswith("ds_") and [t["name"] for t in st.tokens] == ["tour bot"]
    assert st.tokens[0]["scope"] == "write" and secret.startswith(st.tokens[0]["prefix"])
    assert st.tokens[0]["last_used"] == "never"
    async with _client() as c:
        assert (await c.get("/accounts", headers={"Authorization": f"Bearer {secret}"})).status_code == 200
        handler(ApiSettingsState, "forget_secret")(st)
        await handler(ApiSettingsState, "revoke_token")(st, st.tokens[0]["id"])
        assert st.new_secret == "" and st.tokens[0]["revoked"] != ""
        assert (await c.get("/accounts", headers={"Authorization": f"Bearer {secret}"})).status_code == 401

    handler(ApiSettingsState, "toggle_event")(st, "insight.created", True)
    handler(ApiSettingsState, "toggle_event")(st, "post.failed", False)
    await handler(ApiSettingsState, "add_webhook")(st, {"url": "https://10.9.8.7/hook"})
    assert "private" in st.hook_error and st.hooks == []
    await handler(ApiSettingsState, "add_webhook")(st, {"url": "http://127.0.0.1:9/tidewater"})
    assert st.hook_error == "" and st.new_secret.startswith("whsec_")
    assert st.hooks[0]["events"] == "post.published, post.unconfirmed, insight.created"
    await handler(ApiSettingsState, "delete_webhook")(st, st.hooks[0]["id"])
    assert st.hooks == []

    # An editor of the same workspace sees the note, not the tokens, and cannot make one.
    editor = add_member(ws_id, "assistant@tidewater.example", Role.editor)
    ed = tab(ApiSettingsState, auth.new_session(editor.user_id), "/account")
    await handler(ApiSettingsState, "check_login")(ed)
    await handler(ApiSettingsState, "load")(ed)
    await handler(ApiSettingsState, "create_token")(ed, {"name": "sneaky"})
    assert ed.workspace_id == ws_id and ed.role == "editor"
    assert not ed.is_owner and ed.tokens == [] and ed.new_secret == ""
    with dbm.session() as s:
        assert [t.name for t in s.exec(select(ApiToken)).all()] == ["tour bot"]
