"""The Channels panel's state without a browser: a card per kind, the note our callback signed,
Shopify's refusals next to the field at fault, disconnecting, and a viewer's refusal."""

from __future__ import annotations

import pytest

from dreamsuite.models import Role
from dreamsuite.services import auth, flash
from dreamsuite.state.promotion_connect import PromotionConnectState as S
from tests.helpers import add_member
from tests.promotion_helpers import _promotion_server, promotion  # noqa: F401 - fixtures
from tests.test_state import handler, tab

import dreamsuite.pages  # noqa: E402,F401 - states registered in the import context, as test_state does

pytestmark = pytest.mark.usefixtures("close_arq_pools")


async def _panel(token: str, query: dict | None = None):
    st = tab(S, token, "/promotion", query)
    await handler(S, "check_login")(st)
    await handler(S, "load")(st)
    return st


async def _submit(st, **form) -> None:
    async for _ in handler(S, "connect_shop")(st, form):
        pass


async def test_cards_notes_and_a_shop_through_the_form(db, redis_url, promotion):
    account = promotion.account("shopify")
    user_id, ws_id, token = auth.create_account("me@example.com", "password1", "Me", "UTC")
    note = flash.make("connected", u=user_id, platform="meta_ads", username="Nova Lane ads")
    st = await _panel(token, {"flash": note})
    assert st.banner == "Connected Meta Ads (Nova Lane ads). Its last 180 days are on their way."
    assert [k.kind for k in st.kinds] == ["meta_ads", "google_ads", "tiktok_ads", "shopify"]
    assert not any(k.connected for k in st.kinds)
    st = await _panel(token, {"flash": flash.make("connected", u=user_id + 1, platform="meta_ads", username="x")})
    assert st.banner == ""  # someone else's note

    handler(S, "open_shop")(st)
    await _submit(st, domain="nova lane", token="shpat_x")
    assert "myshopify.com address" in st.shop_domain_error and st.shop_token_error == "" and st.shop_open
    await _submit(st, domain="nova-lane.myshopify.com", token="shpat_forged")
    assert st.shop_domain_error == "" and "refused this access token" in st.shop_token_error and st.shop_open
    await _submit(st, domain="nova-lane.myshopify.com", token=promotion["shopify"].grant(account.id))
    assert not st.shop_open and st.shop_token_error == "" and not st.banner_error
    [shop] = [k for k in st.kinds if k.kind == "shopify"]
    assert shop.connected and shop.channels[0].name == "Nova Lane Merch" and shop.channels[0].currency == "USD"
    assert shop.channels[0].last_synced == ""  # the first collect is queued, not done
    assert shop.channels[0].note == "Collecting its first 180 days…" and shop.channels[0].busy
    cid = shop.channels[0].channel_id
    await st._on_event({"kind": "promotion", "channel_id": cid, "status": "success",
                        "counts": {"orders": 376, "merch_days": 183, "merch_days_removed": 0}})
    [row] = [k for k in st.kinds if k.kind == "shopify"][0].channels
    assert row.note == "Collected just now (376 orders, 183 merch days)" and not row.busy

    handler(S, "ask_disconnect")(st, shop.channels[0].channel_id, "Shopify Nova Lane Merch")
    await handler(S, "disconnect")(st)
    assert st.banner.startswith("Disconnected Shopify Nova Lane Merch; its numbers were deleted")
    assert not any(k.connected for k in st.kinds)

    # A viewer sees the cards but may not connect or disconnect.
    viewer = add_member(ws_id, "viewer@example.com", Role.viewer)
    st = await _panel(auth.new_session(viewer.user_id))
    assert st.role == "viewer" and not st.can_edit and len(st.kinds) == 4
    await handler(S, "connect")(st, "meta_ads")
    assert st.banner_error and "editor" in st.banner and st.busy_kind == ""
    await _submit(st, domain="nova-lane.myshopify.com", token=promotion["shopify"].grant(account.id))
    assert st.banner_error and "editor" in st.banner and not any(k.connected for k in st.kinds)
