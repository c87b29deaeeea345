"""SandboxAdapter against the real sandbox over HTTP: parsing, paging, the error taxonomy."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from dreamsuite.platforms import CATALOG, get_adapter
from dreamsuite.platforms.base import (
    AuthExpired,
    NotSupported,
    OutcomeUnknown,
    PermanentError,
    PublishRequest,
    RateLimited,
    TransientError,
)
from dreamsuite.platforms.sandbox import adapter as adapter_mod
from dreamsuite.platforms.sandbox import data, signing


@pytest.fixture
def token() -> str:
    return signing.sign(data.DEFAULT_USER, "access", "profile read publish", 600)


@pytest.fixture
async def client():
    async with httpx.AsyncClient(timeout=10) as c:
        yield c


def control(base: str, what: str, **body) -> None:
    httpx.post(f"{base}/_control/{what}", json=body, timeout=5).raise_for_status()


async def test_profile_and_full_collect_parse_into_plain_data(sandbox_url, client, token, monkeypatch):
    monkeypatch.setattr(adapter_mod, "PAGE_SIZE", 9)  # several pages per listing
    sandbox = get_adapter("sandbox")
    profile = await sandbox.fetch_profile(client, token)
    assert profile.platform_user_id == data.DEFAULT_USER and profile.username

    result = await sandbox.collect(client, token)
    today = datetime.now(UTC).date()
    assert len(result.days) == 200 and result.days[-1].date == today
    assert result.days[-1].metrics["monthly_listeners"] > 0
    expected = data.posts(data.DEFAULT_USER, today)
    assert [p.platform_post_id for p in result.posts] == [p["id"] for p in expected]
    assert len(result.comments) == len(data.comments(data.DEFAULT_USER, today))
    post = result.posts[-1]
    assert post.posted_at.tzinfo is None and post.url.endswith(post.platform_post_id)
    assert post.hashtags and post.reach > 0
    assert any(c.parent_platform_id for c in result.comments)
    assert {c.platform_post_id for c in result.comments} <= {p.platform_post_id for p in result.posts}


async def test_incremental_collect_rereads_recent_posts_only(sandbox_url, client, token):
    since = datetime.now(UTC).date() - timedelta(days=3)
    result = await get_adapter("sandbox").collect(client, token, since=since)
    assert [d.date for d in result.days][0] == since and len(result.days) == 4
    oldest = min(p.posted_at for p in result.posts)
    assert oldest >= datetime.combine(since, datetime.min.time()) - adapter_mod.STATS_WINDOW
    assert len(result.posts) < len(data.posts(data.DEFAULT_USER, datetime.now(UTC).date()))


async def test_collecting_twice_gives_the_same_ids(sandbox_url, client, token):
    sandbox = get_adapter("sandbox")
    a, b = await sandbox.collect(client, token), await sandbox.collect(client, token)
    assert [p.platform_post_id for p in a.posts] == [p.platform_post_id for p in b.posts]
    assert [c.platform_comment_id for c in a.comments] == [c.platform_comment_id for c in b.comments]


async def test_rate_limit_maps_to_rate_limited_with_retry_after(sandbox_url, client, token):
    control(sandbox_url, "fail", status=429, times=1, path="/api/v1/posts", retry_after=42)
    with pytest.raises(RateLimited) as err:
        await get_adapter("sandbox").collect(client, token)
    assert err.value.retry_after == 42


@pytest.mark.parametrize("status", [500, 503])
async def test_server_errors_are_transient(sandbox_url, client, token, status):
    control(sandbox_url, "fail", status=status, times=1, path="/api/v1/me")
    with pytest.raises(TransientError) as err:
        await get_adapter("sandbox").fetch_profile(client, token)
    assert err.value.status == status


async def test_401_and_bad_tokens_are_auth_expired(sandbox_url, client, token):
    control(sandbox_url, "fail", status=401, times=1)
    with pytest.raises(AuthExpired):
        await get_adapter("sandbox").fetch_profile(client, token)
    with pytest.raises(AuthExpired):
        await get_adapter("sandbox").fetch_profile(client, "sbx.forged.token")


async def test_publish_is_idempotent_per_key(sandbox_url, client, token):
    sandbox = get_adapter("sandbox")
    req = PublishRequest(text="Tour dates are out #tour", idempotency_key=f"dest-{uuid.uuid4()}")
    first = await sandbox.publish(client, token, req)
    second = await sandbox.publish(client, token, req)
    assert first == second and first.url.endswith(first.platform_post_id)
    with pytest.raises(PermanentError) as err:
        await sandbox.publish(client, token, PublishRequest(text="x" * 2201))
    assert "2200" in err.value.message


async def test_hang_after_publish_is_outcome_unknown_and_the_post_exists_once(sandbox_url, token):
    sandbox = get_adapter("sandbox")
    key = f"dest-{uuid.uuid4()}"
    req = PublishRequest(text="Sent but no answer", idempotency_key=key)
    control(sandbox_url, "hang", seconds=1.5, times=1, path="/api/v1/posts", after_effect=True)
    async with httpx.AsyncClient(timeout=0.4) as short:
        with pytest.raises(OutcomeUnknown):
            await sandbox.publish(short, token, req)
    async with httpx.AsyncClient(timeout=10) as c:
        since = datetime.now(UTC).date()
        listed = [p for p in (await sandbox.collect(c, token, since=since)).posts if p.caption == req.text]
        assert len(listed) == 1
        # A reconciling retry with the same key finds the same post rather than a second one.
        again = await sandbox.publish(c, token, req)
        assert again.platform_post_id == listed[0].platform_post_id
        listed = [p for p in (await sandbox.collect(c, token, since=since)).posts if p.caption == req.text]
        assert len(listed) == 1


async def test_unreachable_platform_is_transient_even_for_publish(monkeypatch, client, token):
    monkeypatch.setenv("SANDBOX_URL", "http://127.0.0.1:9")
    from dreamsuite.settings import get_settings

    get_settings.cache_clear()
    try:
        with pytest.raises(TransientError):
            await get_adapter("sandbox").publish(client, token, PublishRequest(text="hi"))
    finally:
        get_settings.cache_clear()


def test_catalog_lists_every_platform_in_order_with_honest_states():
    names = [c.name for c in CATALOG]
    assert names == ["instagram", "facebook", "spotify", "youtube", "tiktok", "soundcloud", "x",
                     "deezer", "apple_music", "amazon_music", "tidal", "sandbox"]
    by = {c.name: c for c in CATALOG}
    assert by["sandbox"].connectable and by["sandbox"].can_publish
    assert by["deezer"].connectable and by["deezer"].note == "" and by["tidal"].note == "No public API yet"
    # Whatever is not connectable yet says why: coming soon, or no public API at all.
    assert all(c.note == ("" if c.connectable else "Coming soon" if c.has_api else "No public API yet")
               for c in CATALOG)
    assert all(c.reads and c.color.startswith("#") for c in CATALOG)


async def test_unknown_and_unconnectable_platforms_fail_clearly(client):
    with pytest.raises(KeyError, match="myspace"):
        get_adapter("myspace")
    with pytest.raises(NotSupported):
        get_adapter("apple_music").oauth_config()
    with pytest.raises(NotSupported):
        await get_adapter("tidal").collect(client, "t")
    assert get_adapter("x").max_text_length == 280
