"""Connecting promotion channels end to end against the emulators, on both databases: Meta Ads
through the real OAuth dance and our callback route (landing on /promotion), a Shopify shop by its
domain and token, each refusal said in words that tell what to fix and storing nothing, roles,
workspaces, and disconnecting with the channel's numbers."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
import redis as redis_sync
from sqlalchemy import func, text
from sqlmodel import select
from starlette.testclient import TestClient

from dreamsuite import crypto, db as dbm
from dreamsuite.api import create_api
from dreamsuite.models import AdDailyMetric, MerchDaily, OAuthState, PromotionChannel, Role
from dreamsuite.platforms.emulators.consent import approve
from dreamsuite.platforms.sandbox.serve import free_port
from dreamsuite.services import auth, flash, promotion_connect as pc
from dreamsuite.services.connect import ConnectError
from dreamsuite.services.promotion_queue import brain_job_id, collect_job_id
from dreamsuite.services.scope import AccessDenied, NotFound
from dreamsuite.settings import get_settings
from tests.helpers import APP, add_member, make_workspace
from tests.promotion_helpers import _promotion_server, promotion  # noqa: F401 - fixtures

pytestmark = pytest.mark.usefixtures("close_arq_pools")
GRAPHQL = "/store/admin/api/2025-01/graphql.json"


def channels() -> list[PromotionChannel]:
    with dbm.session() as s:
        return list(s.exec(select(PromotionChannel).order_by(PromotionChannel.id)).all())


def _login(email: str) -> tuple:
    """An owner and a session token for them, as the login route would set in the cookie."""
    user_id, ws_id, token = auth.create_account(email, "password1", email.split("@")[0], "UTC")
    from dreamsuite.services.scope import Scope

    return Scope(user_id=user_id, workspace_id=ws_id, role=Role.owner), token


def _raw_columns() -> str:
    """Every stored value of the channel table as text, as someone reading the database sees it."""
    with dbm.session() as s:
        return " ".join(str(v) for row in s.execute(text("SELECT * FROM promotion_channel")).all() for v in row)


@pytest.fixture
def wired(db, redis_url, promotion, app_url):  # noqa: F811 - the fixture
    return promotion


async def test_meta_ads_oauth_lands_on_promotion_with_the_channel_stored_encrypted(wired, redis_url):
    scope, session = _login("artist@example.com")
    params = await approve(await pc.start_connect(scope, "meta_ads"), account_name="Nova Lane")
    http = TestClient(create_api(), base_url=APP)
    http.cookies.set(auth.SESSION_COOKIE, session)
    res = http.get("/oauth/callback/meta_ads", params=params, follow_redirects=False)
    assert res.status_code == 302
    loc = urlsplit(res.headers["location"])
    assert f"{loc.scheme}://{loc.netloc}{loc.path}" == f"{APP}/promotion"
    note = flash.read(parse_qs(loc.query)["flash"][0], user_id=scope.user_id)
    assert note["k"] == "connected" and note["platform"] == "meta_ads" and note["username"]

    [row] = channels()
    assert row.workspace_id == scope.workspace_id and row.kind == "meta_ads" and row.external_id.startswith("act_")
    assert (row.name, row.currency, row.timezone, row.status) == ("Nova Lane ads", "USD", "America/Los_Angeles",
                                                                  "active")
    assert row.details["ad_accounts"] == [row.external_id] and "ads_read" in row.scopes
    access, refresh = crypto.decrypt(row.access_token_enc), crypto.decrypt(row.refresh_token_enc)
    assert access and refresh and access not in _raw_columns() and refresh not in _raw_columns()
    assert row.token_expires_at.replace(tzinfo=UTC) - datetime.now(UTC) > timedelta(days=50)  # long-lived
    with dbm.session() as s:
        assert s.exec(select(OAuthState)).all() == []  # the state is spent
    job = f"arq:job:{collect_job_id(row.id, dbm.utcnow().date())}"
    assert redis_sync.Redis.from_url(redis_url).exists(job)  # the first collect is queued
    # The same callback again connects nothing more.
    again = http.get("/oauth/callback/meta_ads", params=params, follow_redirects=False)
    assert "not valid" in flash.read(parse_qs(urlsplit(again.headers["location"]).query)["flash"][0],
                                     user_id=scope.user_id)["message"]
    listed = await pc.list_channels(scope)
    assert [c["id"] for c in listed] == [row.id] and listed[0]["ad_accounts"] == [row.external_id]
    assert not any("token" in k and "expires" not in k for k in listed[0])


async def test_a_callback_without_the_starting_session_connects_nothing(wired):
    scope, _ = _login("artist@example.com")
    params = await approve(await pc.start_connect(scope, "meta_ads"), account_name="Nova Lane")
    res = TestClient(create_api(), base_url=APP).get("/oauth/callback/meta_ads", params=params,
                                                     follow_redirects=False)
    assert res.status_code == 403 and "Nothing was connected" in res.text and f"{APP}/promotion" in res.text
    assert channels() == []


async def test_a_second_connect_updates_the_channel_and_an_editor_may_connect(wired):
    _, ws, owner = make_workspace("owner@example.com")
    editor = add_member(ws.id, "editor@example.com", Role.editor)
    first = await pc.finish_connect("meta_ads", await approve(await pc.start_connect(owner, "meta_ads"),
                                                              account_name="Nova Lane"), owner.user_id)
    [before] = channels()
    with dbm.session() as s:  # as if the grant had run out
        row = s.get(PromotionChannel, before.id)
        row.status, row.last_error = "expired", "Meta Ads rejected the access token"
        s.add(row)
    second = await pc.finish_connect("meta_ads", await approve(await pc.start_connect(editor, "meta_ads"),
                                                               account_name="Nova Lane"), editor.user_id)
    [after] = channels()
    assert second.connection_id == first.connection_id == after.id
    assert after.status == "active" and after.last_error == ""
    assert crypto.decrypt(after.access_token_enc) != crypto.decrypt(before.access_token_enc)


async def test_a_viewer_is_refused_and_the_state_of_a_demoted_member_connects_nothing(wired):
    _, ws, owner = make_workspace("owner@example.com")
    viewer = add_member(ws.id, "viewer@example.com", Role.viewer)
    with pytest.raises(AccessDenied):
        await pc.start_connect(viewer, "meta_ads")
    with pytest.raises(AccessDenied):
        await pc.connect_shop(viewer, "nova-lane.myshopify.com", "shpat_x")
    editor = add_member(ws.id, "editor@example.com", Role.editor)
    params = await approve(await pc.start_connect(editor, "meta_ads"), account_name="Nova Lane")
    from dreamsuite.models import Membership

    with dbm.session() as s:  # demoted while on the consent page
        m = s.exec(select(Membership).where(Membership.user_id == editor.user_id)).one()
        m.role = Role.viewer
        s.add(m)
    with pytest.raises(AccessDenied):
        await pc.finish_connect("meta_ads", params, editor.user_id)
    assert channels() == []


async def test_shopify_and_unknown_kinds_do_not_start_oauth(wired):
    _, _, owner = make_workspace("owner@example.com")
    with pytest.raises(ConnectError, match="Admin API access token"):
        await pc.start_connect(owner, "shopify")
    with pytest.raises(ConnectError, match="no promotion channel"):
        await pc.start_connect(owner, "instagram")


async def test_a_denied_consent_lands_on_promotion_with_the_reason(wired):
    scope, session = _login("artist@example.com")
    params = await approve(await pc.start_connect(scope, "meta_ads"), account_name="Nova Lane", decision="deny")
    http = TestClient(create_api(), base_url=APP)
    http.cookies.set(auth.SESSION_COOKIE, session)
    res = http.get("/oauth/callback/meta_ads", params=params, follow_redirects=False)
    loc = urlsplit(res.headers["location"])
    assert loc.path == "/promotion"
    note = flash.read(parse_qs(loc.query)["flash"][0], user_id=scope.user_id)
    assert note["k"] == "connect_error" and "did not allow" in note["message"] and "Meta Ads" in note["message"]
    assert channels() == []


async def test_disconnect_deletes_the_channel_and_its_numbers_in_this_workspace_only(wired, redis_url):
    _, _, owner = make_workspace("owner@example.com")
    _, other_ws, other = make_workspace("other@example.com")
    result = await pc.finish_connect("meta_ads", await approve(await pc.start_connect(owner, "meta_ads"),
                                                               account_name="Nova Lane"), owner.user_id)
    cid = result.connection_id
    with dbm.session() as s:
        s.add(AdDailyMetric(channel_id=cid, workspace_id=owner.workspace_id, day=dbm.utcnow().date(),
                            campaign_external_id="1", creative_external_id="2", currency="USD", spend_minor=1234))
    with pytest.raises(NotFound):
        await pc.disconnect(other, cid)
    viewer = add_member(owner.workspace_id, "viewer@example.com", Role.viewer)
    with pytest.raises(AccessDenied):
        await pc.disconnect(viewer, cid)
    assert len(channels()) == 1
    assert await pc.disconnect(owner, cid) is True  # Meta confirmed the withdrawal
    with dbm.session() as s:
        assert s.exec(select(func.count()).select_from(AdDailyMetric)).one() == 0
    assert channels() == [] and await pc.list_channels(owner) == []
    # The brain runs again on what is left.
    brain = f"arq:job:{brain_job_id(owner.workspace_id, dbm.utcnow().date())}"
    assert redis_sync.Redis.from_url(redis_url).exists(brain)
    with pytest.raises(NotFound):
        await pc.disconnect(owner, cid)


# ------------------------------------------------------------------ Shopify
@pytest.fixture
def shop(wired):
    account = wired.account("shopify")
    return wired, wired["shopify"], account


async def test_a_shop_is_stored_with_its_token_encrypted(shop, redis_url):
    emus, emulator, account = shop
    _, _, owner = make_workspace("owner@example.com")
    token = emulator.grant(account.id)
    cid = await pc.connect_shop(owner, " https://Nova-Lane.myshopify.com/admin ", token)
    [row] = channels()
    assert row.id == cid and row.kind == "shopify" and row.external_id == "nova-lane.myshopify.com"
    assert (row.name, row.currency, row.timezone) == ("Nova Lane Merch", "USD", "America/New_York")
    assert crypto.decrypt(row.access_token_enc) == token and token not in _raw_columns()
    assert row.refresh_token_enc == "" and row.token_expires_at is None and row.details["shop"] == row.external_id
    assert redis_sync.Redis.from_url(redis_url).exists(f"arq:job:{collect_job_id(cid, dbm.utcnow().date())}")
    # The same shop again (a new token) updates the channel.
    assert await pc.connect_shop(owner, "nova-lane", emulator.grant(account.id)) == cid and len(channels()) == 1


@pytest.mark.parametrize("domain", ["", "nova lane.myshopify.com", "nova-lane.example.com", "-x.myshopify.com"])
async def test_a_bad_shop_address_is_named_and_nothing_stored(shop, domain):
    emus, emulator, account = shop
    _, _, owner = make_workspace("owner@example.com")
    with pytest.raises(pc.ShopRefused, match="myshopify.com address") as info:
        await pc.connect_shop(owner, domain, emulator.grant(account.id))
    assert info.value.field == "domain" and channels() == []
    assert emulator.served == []  # refused before any call


@pytest.mark.parametrize("token,words", [("", "Paste the Admin API access token"),
                                         ("shpat_ab cd", "does not look like an access token"),
                                         ("shpat_forged", "Shopify refused this access token")])
async def test_a_refused_token_is_named_and_nothing_stored(shop, token, words):
    _, _, owner = make_workspace("owner@example.com")
    with pytest.raises(pc.ShopRefused, match=words) as info:
        await pc.connect_shop(owner, "nova-lane.myshopify.com", token)
    assert info.value.field == "token" and channels() == []


async def test_a_token_without_read_orders_is_refused(shop):
    emus, emulator, account = shop
    _, _, owner = make_workspace("owner@example.com")
    with pytest.raises(pc.ShopRefused, match="read_orders") as info:
        await pc.connect_shop(owner, "nova-lane.myshopify.com", emulator.grant(account.id, scope="read_products"))
    assert info.value.field == "token" and channels() == []


async def test_an_unreachable_or_missing_shop_is_named_and_nothing_stored(shop, monkeypatch):
    emus, emulator, account = shop
    _, _, owner = make_workspace("owner@example.com")
    token = emulator.grant(account.id)
    await emus.control("shopify", "fail", status=404, times=1, path=GRAPHQL, body='{"errors": "Not Found"}')
    with pytest.raises(pc.ShopRefused, match="No Shopify shop answers at nova-lane.myshopify.com") as info:
        await pc.connect_shop(owner, "nova-lane.myshopify.com", token)
    assert info.value.field == "domain"
    await emus.control("shopify", "fail", status=503, times=1, path=GRAPHQL)
    with pytest.raises(pc.ShopRefused, match="could not be reached just now"):
        await pc.connect_shop(owner, "nova-lane.myshopify.com", token)
    monkeypatch.setenv("SHOPIFY_STORE_URL", f"http://127.0.0.1:{free_port()}")  # nothing listens there
    get_settings.cache_clear()
    with pytest.raises(pc.ShopRefused, match="nova-lane.myshopify.com could not be reached just now") as info:
        await pc.connect_shop(owner, "nova-lane.myshopify.com", token)
    assert info.value.field == "domain" and channels() == []


def test_every_kind_is_listed_with_what_it_reads():
    kinds = {k["kind"]: k for k in pc.channel_kinds()}
    assert list(kinds) == ["meta_ads", "google_ads", "tiktok_ads", "shopify"]
    assert kinds["meta_ads"]["available"] and kinds["meta_ads"]["oauth"] and "ad account" in kinds["meta_ads"]["reads"]
    assert kinds["shopify"]["available"] and not kinds["shopify"]["oauth"] and kinds["shopify"]["label"] == "Shopify"


# ------------------------------------------------------------------ the demo
async def test_the_seed_connects_and_collects_the_demo_channels_once(db, redis_url, emulators):
    from dreamsuite import seed
    from dreamsuite.models import BrainRun

    _, scope, _ = await dbm.run(seed._demo_scope)
    first = await seed._promotion(scope)
    rows = {c.kind: c for c in channels()}
    expected = {k for k in ("meta_ads", "google_ads", "tiktok_ads", "shopify") if seed._demo_ready(k)}
    assert {"meta_ads", "shopify"} <= expected and set(rows) == expected, first
    assert all(rows[k].status == "active" and rows[k].last_synced_at and rows[k].workspace_id == scope.workspace_id
               for k in rows)
    assert rows["shopify"].external_id == seed.DEMO_SHOP
    with dbm.session() as s:
        ad_days = dict(s.exec(select(AdDailyMetric.channel_id, func.count(func.distinct(AdDailyMetric.day)))
                              .group_by(AdDailyMetric.channel_id)).all())
        first_sale, last_sale = s.exec(select(func.min(MerchDaily.day), func.max(MerchDaily.day))).one()
        runs = s.exec(select(func.count()).select_from(BrainRun)).one()
    assert all(ad_days[rows[k].id] >= 150 for k in expected - {"shopify"})  # about 180 days of ads
    assert (last_sale - first_sale).days >= 170  # the shop's 180 days (not every day sells)
    assert runs == len(seed.HISTORY_RUNS) + 1  # the past runs replayed for the record, then today's
    # Again: the same channels, collected again, nothing duplicated.
    await seed._promotion(scope)
    assert {c.kind: c.id for c in channels()} == {k: c.id for k, c in rows.items()}
