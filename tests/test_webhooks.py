"""Outgoing webhooks against a real local receiver (its own HMAC check), the real database,
Redis and an arq worker: signed deliveries, retries with growing pauses, the delivery log, the
sweep that records what no announcement carried, addresses refused, the secret kept encrypted."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlmodel import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

from dreamsuite import crypto, db as dbm, events
from dreamsuite.models import (
    Insight, PlatformConnection, PostDestination, Role, ScheduledPost, SyncRun, Webhook, WebhookDelivery,
)
from dreamsuite.platforms.sandbox.serve import serve_app
from dreamsuite.services import sync, webhook_delivery as wd, webhooks as wh
from dreamsuite.services.errors import UserError
from dreamsuite.services.scope import AccessDenied, NotFound
from tests.helpers import add_member, connect_sandbox, due_post, make_workspace, run_worker_burst

pytestmark = pytest.mark.usefixtures("close_arq_pools")


class Receiver:
    """A receiver as an integrator would write it: checks the signature with its own few lines."""

    def __init__(self):
        self.secrets: dict[str, str] = {}  # path → secret
        self.fail: dict[str, int] = {}  # path → answer 500 to this many tries (-1: always)
        self.got: list[dict] = []

    def verify(self, path: str, header: str, body: bytes) -> bool:
        fields = dict(part.split("=", 1) for part in header.split(","))
        signed = f"{fields['t']}.".encode() + body
        mac = hmac.new(self.secrets[path].encode(), signed, hashlib.sha256).hexdigest()
        return hmac.compare_digest(mac, fields["v1"]) and abs(time.time() - int(fields["t"])) < 300

    async def hook(self, request: Request) -> JSONResponse:
        path, body = request.path_params["name"], await request.body()
        seen = sum(1 for g in self.got if g["path"] == path)
        self.got.append({"path": path, "at": time.monotonic(), "body": json.loads(body), "headers": request.headers,
                         "raw": body, "verified": self.verify(path, request.headers["dreamsuite-signature"], body)})
        fails = self.fail.get(path, 0)
        if fails < 0 or seen < fails:
            return JSONResponse({"error": "busy"}, status_code=500)
        return JSONResponse({"ok": True})

    def of(self, path: str) -> list[dict]:
        return [g for g in self.got if g["path"] == path]


@contextmanager
def receiver():
    r = Receiver()
    with serve_app(Starlette(routes=[Route("/hooks/{name}", r.hook, methods=["POST"])])) as base:
        r.base = base
        yield r


def _register(scope, r: Receiver, name: str, events_: list[str]) -> int:
    hook, secret = wh.register(scope, f"{r.base}/hooks/{name}", events_)
    r.secrets[name] = secret
    return hook["id"]


def _deliveries() -> list[WebhookDelivery]:
    with dbm.session() as s:
        return s.exec(select(WebhookDelivery).order_by(WebhookDelivery.id)).all()


# ------------------------------------------------------------------ the real publish path
async def test_a_post_published_by_the_publish_run_reaches_the_receiver_signed(db, redis_url, sandbox_url):
    from dreamsuite.services.publish_run import publish_destination

    _, _, scope = make_workspace("label@saltmarsh.example")
    connection_id = await connect_sandbox(scope, "saltmarsh_records")
    with receiver() as r:
        _register(scope, r, "ops", ["post.published", "post.failed"])
        _register(scope, r, "stats", ["sync.finished"])  # not told about posts
        dest_id = due_post(scope, connection_id, "Saltmarsh compilation out now", [])
        assert await publish_destination(dest_id) == "published"
        # The same outcome announced again (a job re-run) is one delivery, not two.
        await events.announce(scope.workspace_id, "publish", destination_id=dest_id, status="published")
        assert [(d.event, d.status) for d in _deliveries()] == [("post.published", "pending")]
        # The first sync the connection asked for, run as its job would: sync.finished for "stats".
        assert (await sync.collect_connection(connection_id))["status"] == "success"
        assert [d.event for d in _deliveries()] == ["post.published", "sync.finished"]
        for d in _deliveries():  # each as its queued job would
            assert await wd.deliver(d.id) == "delivered"
    [got] = r.of("ops")
    [synced] = r.of("stats")
    assert synced["verified"] and synced["body"]["data"]["status"] == "success"
    assert synced["body"]["data"]["account_id"] == connection_id and synced["body"]["data"]["counts"]
    assert got["path"] == "ops" and got["verified"]
    assert wh.verify_signature(r.secrets["ops"], got["headers"]["dreamsuite-signature"], got["raw"])
    assert not wh.verify_signature(r.secrets["ops"], got["headers"]["dreamsuite-signature"], got["raw"] + b" ")
    assert not wh.verify_signature(r.secrets["stats"], got["headers"]["dreamsuite-signature"], got["raw"])
    assert not wh.verify_signature(r.secrets["ops"], got["headers"]["dreamsuite-signature"], got["raw"],
                                   now=time.time() + 3600)  # a replay an hour later
    body = got["body"]
    with dbm.session() as s:
        dest = s.get(PostDestination, dest_id)
    assert body["type"] == "post.published" and body["workspace_id"] == scope.workspace_id
    assert body["data"]["destination_id"] == dest_id and body["data"]["platform"] == "sandbox"
    assert body["data"]["platform_post_id"] == dest.platform_post_id != ""
    assert got["headers"]["dreamsuite-event"] == "post.published"
    log = wh.list_deliveries(scope)[-1]
    assert (log["status"], log["attempts"], log["response_code"], log["url"]) == \
        ("delivered", 1, 200, f"{r.base}/hooks/ops")
    assert log["delivered_at"] is not None


# ------------------------------------------------------------------ retries
async def test_a_failing_receiver_gets_retries_with_backoff_and_a_log(db, redis_url, monkeypatch):
    monkeypatch.setattr(wd, "BACKOFF_BASE_SECONDS", 0.3)
    monkeypatch.setattr(wd, "BACKOFF_FACTOR", 3)
    monkeypatch.setattr(wd, "MAX_ATTEMPTS", 4)
    _, ws, scope = make_workspace("tourdesk@fjordlight.example")
    with dbm.session() as s:
        conn = PlatformConnection(workspace_id=ws.id, platform="spotify", platform_user_id="fjord",
                                  username="fjordlight")
        s.add(conn)
        s.flush()
        run = SyncRun(workspace_id=ws.id, connection_id=conn.id, status="success", finished_at=dbm.utcnow(),
                      counts={"daily_metrics": 3, "posts": 0, "comments": 0})
        s.add(run)
        s.flush()
        conn_id, run_id = conn.id, run.id
    with receiver() as r:
        r.fail = {"flaky": 2, "down": -1}
        _register(scope, r, "flaky", ["sync.finished"])
        _register(scope, r, "down", ["sync.finished"])
        await events.announce(ws.id, "sync", connection_id=conn_id, status="success", counts={})
        await run_worker_burst(poll_delay=0.05)
    flaky, down = r.of("flaky"), r.of("down")
    assert len(flaky) == 3 and len(down) == 4
    assert all(g["verified"] for g in r.got)
    # Each try of a delivery carries the same delivery id and event id, signed afresh.
    assert len({g["headers"]["dreamsuite-delivery"] for g in down}) == 1
    assert {g["body"]["id"] for g in r.got} == {f"sync.finished:run:{run_id}"}
    gaps = [b["at"] - a["at"] for a, b in zip(down, down[1:])]
    assert gaps[0] >= 0.3 and gaps[1] >= 0.9 and gaps[2] >= 2.7, gaps
    assert gaps[1] > 2 * gaps[0] and gaps[2] > 2 * gaps[1], gaps
    by_url = {d["url"].rsplit("/", 1)[1]: d for d in wh.list_deliveries(scope)}
    assert (by_url["flaky"]["status"], by_url["flaky"]["attempts"], by_url["flaky"]["response_code"]) == \
        ("delivered", 3, 200)
    assert (by_url["down"]["status"], by_url["down"]["attempts"], by_url["down"]["response_code"]) == \
        ("failed", 4, 500)
    assert "500" in by_url["down"]["error"] and by_url["down"]["next_try_at"] is None
    assert flaky[0]["body"]["data"]["counts"] == {"daily_metrics": 3, "posts": 0, "comments": 0}


async def test_an_unreachable_receiver_is_logged_and_retried_later(db, redis_url):
    _, ws, scope = make_workspace("tourdesk@fjordlight.example")
    with receiver() as r:
        _register(scope, r, "gone", ["insight.created"])
    # The receiver has stopped: one try, then a later one is scheduled.
    with dbm.session() as s:
        ids = wh.record(s, ws.id, "insight.created", "insight.created:test", {"title": "x"})
    assert await wd.deliver(ids[0]) == "pending"
    [d] = _deliveries()
    assert d.attempts == 1 and d.response_code is None and "reach" in d.error
    assert d.next_try_at > dbm.utcnow() + timedelta(seconds=20)
    assert await wd.deliver(ids[0]) == "skipped"  # a stray job before the next try's time sends nothing
    assert _deliveries()[0].attempts == 1


# ------------------------------------------------------------------ the sweep
async def test_the_sweep_records_what_no_announcement_carried(db, redis_url):
    _, ws, scope = make_workspace("mgmt@emberline.example")
    with dbm.session() as s:
        conn = PlatformConnection(workspace_id=ws.id, platform="facebook", platform_user_id="ember",
                                  username="emberline")
        s.add(conn)
        s.flush()
        post = ScheduledPost(workspace_id=ws.id, content="Emberline live at the Crescent", scheduled_at=dbm.utcnow())
        s.add(post)
        s.flush()
        old = Insight(workspace_id=ws.id, type="trend", priority="low", title="Old news", message="-",
                      dedupe_key="old", created_at=dbm.utcnow() - timedelta(minutes=5),
                      expires_at=dbm.utcnow() + timedelta(days=1))
        s.add(old)
        conn_id, post_id = conn.id, post.id
    with receiver() as r:
        _register(scope, r, "all", ["insight.created", "post.unconfirmed"])
        with dbm.session() as s:
            # As the reconciler leaves them: no announcement for either.
            dest = PostDestination(workspace_id=ws.id, post_id=post_id, connection_id=conn_id, status="unconfirmed",
                                   error="Sent, but the platform never answered.")
            s.add(dest)
            s.add(Insight(workspace_id=ws.id, type="growth", priority="medium", title="Crescent show lifted Facebook",
                          message="+80 followers the day after.", dedupe_key="crescent",
                          expires_at=dbm.utcnow() + timedelta(days=2)))
        assert await wd.record_missed(ws.id + 1000) == 0  # another workspace's: nothing of this one
        assert await wd.record_missed(ws.id) == 2  # after an analysis: at once, not at the next sweep
        assert await wd.sweep() == 0  # recorded once
        await run_worker_burst(poll_delay=0.05)
    assert sorted(g["body"]["type"] for g in r.got) == ["insight.created", "post.unconfirmed"]
    assert all(g["verified"] for g in r.got)
    titles = [g["body"]["data"].get("title") for g in r.got if g["body"]["type"] == "insight.created"]
    assert titles == ["Crescent show lifted Facebook"]  # the one from before the webhook is not sent


async def test_a_delivery_stuck_in_sending_is_tried_again(db, redis_url):
    _, ws, scope = make_workspace("mgmt@emberline.example")
    with receiver() as r:
        _register(scope, r, "late", ["insight.created"])
        with dbm.session() as s:
            [delivery_id] = wh.record(s, ws.id, "insight.created", "insight.created:77", {"title": "Late"})
            d = s.get(WebhookDelivery, delivery_id)
            d.status, d.attempts, d.updated_at = "sending", 1, dbm.utcnow() - timedelta(minutes=10)
            d.next_try_at = dbm.utcnow() - timedelta(minutes=10)
        assert await wd.sweep() == 1
        await run_worker_burst(poll_delay=0.05)
    assert len(r.got) == 1 and r.got[0]["verified"]
    assert _deliveries()[0].status == "delivered" and _deliveries()[0].attempts == 2


# ------------------------------------------------------------------ managing webhooks
async def test_the_secret_is_stored_encrypted_and_only_owners_manage(db, redis_url):
    _, ws, owner = make_workspace("owner@quietcoast.example")
    editor = add_member(ws.id, "editor@quietcoast.example", Role.editor)
    _, _, stranger = make_workspace("owner@elsewhere.example")
    hook, secret = wh.register(owner, "https://93.184.216.34/dreamsuite", ["post.published"])
    with dbm.session() as s:
        row = s.get(Webhook, hook["id"])
    assert secret.startswith("whsec_") and secret not in row.secret_enc and row.secret_enc
    assert crypto.decrypt(row.secret_enc) == secret
    assert "secret" not in json.dumps(wh.list_webhooks(owner), default=str)
    with pytest.raises(AccessDenied):
        wh.register(editor, "https://93.184.216.34/x", ["post.published"])
    with pytest.raises(AccessDenied):
        wh.delete_webhook(editor, hook["id"])
    with pytest.raises(NotFound):
        wh.delete_webhook(stranger, hook["id"])
    assert wh.list_webhooks(stranger) == [] and wh.list_deliveries(stranger) == []
    with pytest.raises(UserError):
        wh.register(owner, "https://93.184.216.34/x", ["post.deleted"])
    wh.delete_webhook(owner, hook["id"])
    assert wh.list_webhooks(owner) == []


@pytest.mark.parametrize("url", [
    "ftp://93.184.216.34/x", "https://user:pw@93.184.216.34/x", "http://93.184.216.34/x",
    "https://10.20.30.40/hook", "https://192.168.1.20/hook", "https://169.254.169.254/latest/meta-data",
    "https://[::ffff:10.0.0.7]/hook", "https://[fe80::1]/hook", "not a url", "",
])
async def test_addresses_we_do_not_post_to(db, redis_url, url):
    _, _, owner = make_workspace("owner@quietcoast.example")
    with pytest.raises(wh.UnsafeAddress):
        wh.register(owner, url, ["post.published"])


async def test_loopback_only_in_the_demo_and_private_only_when_allowed(db, redis_url, monkeypatch):
    from dreamsuite.settings import get_settings

    _, _, owner = make_workspace("owner@quietcoast.example")
    assert wh.register(owner, "http://127.0.0.1:9/hook", ["post.published"])  # the demo (tests run as it)
    monkeypatch.setenv("DREAMSUITE_DEMO", "0")
    get_settings.cache_clear()
    try:
        with pytest.raises(wh.UnsafeAddress):
            wh.register(owner, "http://127.0.0.1:9/hook", ["post.published"])
        with pytest.raises(wh.UnsafeAddress):
            wh.register(owner, "https://10.20.30.40/hook", ["post.published"])
        monkeypatch.setenv("WEBHOOK_ALLOW_PRIVATE", "1")
        get_settings.cache_clear()
        assert wh.register(owner, "https://10.20.30.40/hook", ["post.published"])
    finally:
        get_settings.cache_clear()
