"""Outgoing webhooks: a workspace's owner registers an address and the events it wants; each
event is stored as a delivery per webhook (the delivery log) and posted by a worker job, signed
with the webhook's secret (services/webhook_delivery.py sends and retries).

Events: post.published | post.failed | post.unconfirmed (one account's destination of a post),
sync.finished (one account's collection, success or failure), insight.created.

They are recorded when the app announces a publish or a sync (webhook_delivery.on_announce
listens to events.announce), and a sweep every minute records whatever no announcement carried (the
reconciler's unconfirmed posts, new insights, an announcement lost to a Redis outage). An event's
key ("post.published:destination:12") is unique per webhook, so recording twice sends once.

Signature (like Stripe's): header `DreamSuite-Signature: t=<unix seconds>,v1=<hex>`, where hex is
HMAC-SHA256(secret, f"{t}." + raw body). Receivers check it with `verify_signature` or the same
three lines of their own, and refuse a `t` more than five minutes old.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import logging
import socket
import time
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlmodel import Session, select

from dreamsuite import crypto, db
from dreamsuite.models import (
    Insight, PlatformConnection, PostDestination, Role, ScheduledPost, SyncRun, Webhook, WebhookDelivery,
)
from dreamsuite.services.errors import UserError
from dreamsuite.services.scope import Scope, get_scoped, scoped
from dreamsuite.settings import get_settings

log = logging.getLogger(__name__)

EVENTS = {
    "post.published": "A post went out on an account",
    "post.failed": "A post could not go out on an account",
    "post.unconfirmed": "A post was sent but the platform never confirmed it",
    "sync.finished": "An account's numbers were collected (or the collection failed)",
    "insight.created": "A new insight was written",
}
POST_EVENTS = {"published", "failed", "unconfirmed"}
SIGNATURE_HEADER = "DreamSuite-Signature"
TOLERANCE_SECONDS = 300
MAX_WEBHOOKS = 20  # per workspace


class UnsafeAddress(UserError):
    """The webhook address is not one we post to (not https, or a private network's)."""


# ------------------------------------------------------------------ addresses
def private_allowed() -> bool:
    """Private and link-local receivers (tests, a closed network): WEBHOOK_ALLOW_PRIVATE=1."""
    return get_settings().webhook_allow_private


def loopback_allowed() -> bool:
    """http://localhost receivers: in the local demo (and tests), or with private ones allowed."""
    return get_settings().dreamsuite_demo or private_allowed()


def _ip(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    ip = ipaddress.ip_address(value.split("%", 1)[0])
    return ip.ipv4_mapped if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped else ip


def check_addresses(host: str, addresses: list[str]) -> None:
    """Refuse a host that resolves to anything but public addresses (unless allowed here)."""
    if not addresses:
        raise UnsafeAddress(f"{host} could not be found.")
    for raw in addresses:
        ip = _ip(raw)
        if ip.is_loopback:
            if not loopback_allowed():
                raise UnsafeAddress("Webhooks cannot be sent to this server itself (a loopback address).")
        elif not ip.is_global or ip.is_multicast:
            if not private_allowed():
                raise UnsafeAddress(f"{host} is a private or link-local address; webhooks go to public "
                                    "addresses only.")


def resolve(host: str) -> list[str]:
    try:
        return sorted({info[4][0] for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)})
    except (socket.gaierror, UnicodeError):
        return []


def check_url(url: str) -> str:
    """The address cleaned, or UnsafeAddress saying what is wrong with it (resolves the host)."""
    url = (url or "").strip()
    if not url:
        raise UnsafeAddress("Enter the address to send events to.")
    if len(url) > 2000:
        raise UnsafeAddress("That address is too long (2000 characters at most).")
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise UnsafeAddress("That is not a web address.") from None
    if parts.scheme not in ("https", "http") or not host:
        raise UnsafeAddress("The address must start with https://.")
    if parts.username or parts.password:
        raise UnsafeAddress("Put no password in the address: receivers check the signature instead.")
    plain = "The address must start with https:// (plain http only for localhost, in the demo)."
    if parts.scheme == "http" and not (loopback_allowed() and _loopback_name(host)):
        raise UnsafeAddress(plain)
    addresses = resolve(host)
    check_addresses(host, addresses)
    if parts.scheme == "http" and not all(_ip(a).is_loopback for a in addresses):
        raise UnsafeAddress(plain)
    return url


def _loopback_name(host: str) -> bool:
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return _ip(host).is_loopback
    except ValueError:
        return False


# ------------------------------------------------------------------ signatures
def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    t = int(time.time()) if timestamp is None else int(timestamp)
    mac = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={t},v1={mac}"


def verify_signature(secret: str, header: str, body: bytes, *, tolerance: int = TOLERANCE_SECONDS,
                     now: float | None = None) -> bool:
    """What a receiver does: the timestamp is recent and one v1 signature matches."""
    parts = [p.split("=", 1) for p in (header or "").split(",") if "=" in p]
    stamps = [v for k, v in parts if k.strip() == "t"]
    if len(stamps) != 1 or not stamps[0].strip().isdigit():
        return False
    t = int(stamps[0])
    if abs((time.time() if now is None else now) - t) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{t}.".encode() + body, hashlib.sha256).hexdigest()
    return any(hmac.compare_digest(expected, v.strip()) for k, v in parts if k.strip() == "v1")


# ------------------------------------------------------------------ managing webhooks
def _hook(w: Webhook) -> dict[str, Any]:
    return {"id": w.id, "url": w.url, "events": list(w.events or []), "active": w.active, "created_at": w.created_at}


def register(scope: Scope, url: str, events: list[str]) -> tuple[dict[str, Any], str]:
    """A new webhook (owners only); returns it and its signing secret, shown once."""
    scope.require(Role.owner)
    wanted = [e for e in EVENTS if e in set(events or [])]
    unknown = sorted(set(events or []) - set(EVENTS))
    if unknown:
        raise UserError(f"Unknown event: {', '.join(unknown)}.")
    if not wanted:
        raise UserError("Choose at least one event to send.")
    url = check_url(url)
    secret = "whsec_" + crypto.urlsafe_token(32)
    with db.session() as s:
        if len(s.exec(scoped(scope, Webhook)).all()) >= MAX_WEBHOOKS:
            raise UserError(f"A workspace can have {MAX_WEBHOOKS} webhooks: delete one first.")
        row = Webhook(workspace_id=scope.workspace_id, url=url, events=wanted, secret_enc=crypto.encrypt(secret),
                      created_by=scope.user_id)
        s.add(row)
        forget_known_hooks(scope.workspace_id)
        s.flush()
        return _hook(row), secret


def list_webhooks(scope: Scope) -> list[dict[str, Any]]:
    with db.session() as s:
        return [_hook(w) for w in s.exec(scoped(scope, Webhook).order_by(Webhook.id))]


def delete_webhook(scope: Scope, webhook_id: int) -> None:
    """Delete a webhook (owners only) and its delivery log; nothing more is sent to it."""
    scope.require(Role.owner)
    with db.session() as s:
        s.delete(get_scoped(s, scope, Webhook, webhook_id))
    forget_known_hooks(scope.workspace_id)


def list_deliveries(scope: Scope, limit: int = 20) -> list[dict[str, Any]]:
    """The latest deliveries of the workspace's webhooks, newest first."""
    with db.session() as s:
        rows = s.exec(select(WebhookDelivery, Webhook.url).join(Webhook, Webhook.id == WebhookDelivery.webhook_id)
                      .where(WebhookDelivery.workspace_id == scope.workspace_id,
                             Webhook.workspace_id == scope.workspace_id)
                      .order_by(WebhookDelivery.id.desc()).limit(limit)).all()
    return [{"id": d.id, "webhook_id": d.webhook_id, "url": url, "event": d.event, "status": d.status,
             "attempts": d.attempts, "response_code": d.response_code, "error": d.error,
             "created_at": d.created_at, "next_try_at": d.next_try_at, "delivered_at": d.delivered_at}
            for d, url in rows]


# ------------------------------------------------------------------ what each event carries
def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def post_event(s: Session, workspace_id: int, destination_id: int) -> tuple[str, str, dict] | None:
    """(event, key, data) for a destination that ended published, failed or unconfirmed."""
    row = s.exec(select(PostDestination, ScheduledPost, PlatformConnection)
                 .join(ScheduledPost, ScheduledPost.id == PostDestination.post_id)
                 .join(PlatformConnection, PlatformConnection.id == PostDestination.connection_id)
                 .where(PostDestination.id == destination_id, PostDestination.workspace_id == workspace_id)).first()
    if row is None or row[0].status not in POST_EVENTS:
        return None
    d, p, c = row
    data = {"post_id": p.id, "destination_id": d.id, "account_id": c.id, "platform": c.platform,
            "username": c.username, "status": d.status, "platform_post_id": d.platform_post_id,
            "platform_url": d.platform_url, "error": d.error, "published_at": _iso(d.published_at),
            "scheduled_at": _iso(p.scheduled_at), "content": p.content}
    return f"post.{d.status}", f"post.{d.status}:destination:{d.id}", data


def sync_event(s: Session, run: SyncRun) -> tuple[str, str, dict]:
    conn = s.get(PlatformConnection, run.connection_id)
    data = {"sync_run_id": run.id, "account_id": run.connection_id, "platform": conn.platform if conn else "",
            "status": run.status, "counts": dict(run.counts or {}), "error": run.error,
            "started_at": _iso(run.started_at), "finished_at": _iso(run.finished_at)}
    return "sync.finished", f"sync.finished:run:{run.id}", data


def insight_event(i: Insight) -> tuple[str, str, dict]:
    data = {"insight_id": i.id, "type": i.type, "priority": i.priority, "title": i.title, "message": i.message,
            "actions": list(i.actions or []), "created_at": _iso(i.created_at)}
    return "insight.created", f"insight.created:{i.id}", data


# ------------------------------------------------------------------ recording events
def subscribed(s: Session, workspace_id: int, event: str) -> list[Webhook]:
    hooks = s.exec(select(Webhook).where(Webhook.workspace_id == workspace_id, Webhook.active == True)).all()  # noqa: E712
    return [h for h in hooks if event in (h.events or [])]


def record(s: Session, workspace_id: int, event: str, key: str, data: dict,
           hooks: list[Webhook] | None = None) -> list[int]:
    """One delivery per subscribed webhook that does not have this event yet; their ids."""
    hooks = subscribed(s, workspace_id, event) if hooks is None else hooks
    if not hooks:
        return []
    have = set(s.exec(select(WebhookDelivery.webhook_id).where(
        WebhookDelivery.webhook_id.in_([h.id for h in hooks]), WebhookDelivery.event_key == key)).all())
    now = db.utcnow()
    payload = {"id": key, "type": event, "created_at": now.isoformat(), "workspace_id": workspace_id, "data": data}
    rows = [WebhookDelivery(workspace_id=workspace_id, webhook_id=h.id, event=event, event_key=key[:200],
                            payload=payload, next_try_at=now) for h in hooks if h.id not in have]
    s.add_all(rows)
    s.flush()
    return [r.id for r in rows]


def record_announced(workspace_id: int, kind: str, data: dict) -> list[int]:
    with db.session() as s:
        if kind == "publish" and data.get("status") in POST_EVENTS and data.get("destination_id"):
            found = post_event(s, workspace_id, int(data["destination_id"]))
        elif kind == "sync" and data.get("status") in ("success", "failed") and data.get("connection_id"):
            run = s.exec(select(SyncRun).where(SyncRun.workspace_id == workspace_id,
                                               SyncRun.connection_id == int(data["connection_id"]),
                                               SyncRun.finished_at.is_not(None))
                         .order_by(SyncRun.id.desc()).limit(1)).first()
            found = sync_event(s, run) if run else None
        else:
            return []
        if found is None:
            return []
        event, key, payload = found
        return record(s, workspace_id, event, key, payload)


# Whether a workspace has any active webhook, remembered for a few seconds: a burst of a
# thousand posts going out must not cost a thousand look-ups for a workspace without webhooks.
# A webhook added meanwhile misses nothing: the minute's sweep records what announcements did not.
HOOKS_KNOWN_FOR = 10.0
_has_hooks: dict[int, tuple[float, bool]] = {}


def _any_hooks(workspace_id: int) -> bool:
    with db.session() as s:
        return s.exec(select(Webhook.id).where(Webhook.workspace_id == workspace_id,
                                               Webhook.active == True).limit(1)).first() is not None  # noqa: E712


async def workspace_has_hooks(workspace_id: int) -> bool:
    now = time.monotonic()
    known = _has_hooks.get(workspace_id)
    if known is None or now - known[0] > HOOKS_KNOWN_FOR:
        known = _has_hooks[workspace_id] = (now, await db.run(_any_hooks, workspace_id))
    return known[1]


def forget_known_hooks(workspace_id: int | None = None) -> None:
    """After a webhook is added or removed in this process (and for tests)."""
    if workspace_id is None:
        _has_hooks.clear()
    else:
        _has_hooks.pop(workspace_id, None)
