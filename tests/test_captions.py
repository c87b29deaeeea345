"""AI captions for the composer: the offline writer on a seeded workspace (its best hashtags, the
platforms' limits, the tones, one workspace only), the request checks, the real-LLM path against
a local OpenAI-compatible server (a too-long caption is sent back for a retry), and the
composer's button. The best hashtags expected are computed here from the database rows."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import select

import dreamsuite.pages  # noqa: F401  (Reflex registers states in the context that first imports them)
from dreamsuite.db import session, utcnow
from dreamsuite.models import ContentPost, Membership, Role
from dreamsuite.services import auth
from dreamsuite.services.captions import CaptionError, generate_caption
from dreamsuite.services.scope import AccessDenied, Scope
from tests.llm_fake import ScriptedLLM, as_the_model
from tests.seed_metrics import make_scope, seed_followers, seed_post
from tests.test_state import handler, tab

pytestmark = pytest.mark.db

IG_TAGS = ("midnightsessions", "studiolife", "acoustic", "tourdiary", "rehearsal")
TIKTOK_TAGS = ("duetthis", "viralsound", "bedroompop")
RIVAL_TAGS = ("rivalsecret", "othersband", "theirtour")
TOPIC = "New single 'Night Drive' out Friday"


def _seed(scope: Scope, platform: str, tags: tuple[str, ...], posts: int, base: int, prefix: str) -> None:
    today = utcnow().date()
    for i in range(posts):
        pair = (tags[i % len(tags)], tags[(i + 1) % len(tags)])
        seed_post(scope, platform, f"{prefix}{i}", today - timedelta(days=3 + 4 * i),
                  caption=f"Post {i} " + " ".join(f"#{t}" for t in pair), likes=base + (i * 37) % 101,
                  comments=(i * 11) % 23, shares=i % 5, reach=2_000 + 150 * i)


@pytest.fixture
def artist(db) -> Scope:
    me = make_scope("Nova")
    today = utcnow().date()
    for platform in ("instagram", "tiktok", "x"):
        seed_followers(me, platform, today, [3_000 + 5 * i for i in range(30)])
    _seed(me, "instagram", IG_TAGS, 15, 60, "ig")
    _seed(me, "tiktok", TIKTOK_TAGS, 6, 400, "tt")  # rated far higher: the best of all platforms
    other = make_scope("Rival")
    _seed(other, "instagram", RIVAL_TAGS, 8, 5_000, "rv")
    _seed(other, "x", RIVAL_TAGS, 8, 5_000, "rx")
    return me


def best_tag(scope: Scope, platform: str | None = None) -> str:
    """The hashtag with the best average rate (interactions / reach) over posts that used it twice
    or more, read from the rows."""
    since = utcnow().date() - timedelta(days=179)
    with session() as s:
        rows = s.exec(select(ContentPost).where(ContentPost.workspace_id == scope.workspace_id)).all()
    rates: dict[str, list[float]] = defaultdict(list)
    for p in rows:
        if (platform and p.platform != platform) or p.posted_at.date() < since:
            continue
        for tag in set(re.findall(r"#(\w+)", p.caption.lower())):
            rates[tag].append((p.likes + p.comments + p.shares + p.saves) / p.reach)
    ranked = sorted(((sum(r) / len(r), t) for t, r in rates.items() if len(r) >= 2), reverse=True)
    assert len(ranked) > 1 and ranked[0][0] != ranked[1][0]  # one clear best
    return ranked[0][1]


def _tags_ok(out: dict, fewest: int, most: int) -> None:
    tags = out["hashtags"]
    assert fewest <= len(tags) <= most and len(set(tags)) == len(tags)
    assert all(re.fullmatch(r"[^\W_A-Z]\w*", t) and t == t.lower() for t in tags), tags
    assert out["text"] == out["caption"] + "\n\n" + " ".join(f"#{t}" for t in tags)


async def test_offline_captions_lead_with_the_artists_best_hashtags_within_each_platforms_limits(artist):
    on_instagram = await generate_caption(artist, TOPIC, "casual", "instagram")
    on_x = await generate_caption(artist, TOPIC, "casual", "x")
    on_tiktok = await generate_caption(artist, TOPIC, "casual", "tiktok")

    ig_best, overall_best = best_tag(artist, "instagram"), best_tag(artist)
    assert ig_best != overall_best  # Instagram's own ranking is used where it has enough
    assert on_instagram["hashtags"][0] == ig_best
    assert on_x["hashtags"][0] == overall_best  # X has no posts: every platform's ranking
    assert "nightdrive" in on_instagram["hashtags"]  # the quoted title, from the topic
    _tags_ok(on_instagram, 5, 5)  # Instagram takes five at most
    _tags_ok(on_x, 5, 10)
    _tags_ok(on_tiktok, 5, 10)
    assert len(on_instagram["text"]) <= 2200 and len(on_x["text"]) <= 280 and on_x["limit"] == 280
    assert len(on_tiktok["hashtags"]) > len(on_x["hashtags"])  # X: few hashtags, room for words
    assert all("Night Drive" in o["caption"] for o in (on_instagram, on_x, on_tiktok))
    assert on_x["model"] == "offline-captions"


async def test_a_long_topic_on_x_fits_by_fewer_hashtags_then_a_shorter_caption_never_cut_mid_word(artist):
    words = "Tonight we play the old harbour warehouse with friends from three cities and a brass band".split()
    topic = ""
    while len(topic) < 290:
        topic = f"{topic} {words[len(topic.split()) % len(words)]}".strip()
    topic = topic[:300].rsplit(" ", 1)[0] if len(topic) > 300 else topic
    out = await generate_caption(artist, topic, "professional", "x")
    assert len(out["text"]) <= 280 and len(out["hashtags"]) == 5
    head = out["caption"].split("…")[0]
    assert "…" in out["caption"] and topic.startswith(head) and topic[len(head)] == " "
    _tags_ok(out, 5, 5)


async def test_the_four_tones_write_four_different_captions(artist):
    outs = {tone: await generate_caption(artist, TOPIC, tone, "instagram")
            for tone in ("professional", "witty", "casual", "urgent")}
    captions = [o["caption"] for o in outs.values()]
    assert len(set(captions)) == 4 and all("Night Drive" in c for c in captions)
    assert outs["urgent"]["caption"] != outs["urgent"]["caption"].lower()  # sentences, not tags
    assert len({tuple(o["hashtags"]) for o in outs.values()}) == 1  # the data picks them, not the tone


async def test_another_workspaces_hashtags_never_appear(artist):
    with session() as s:
        rival = s.exec(select(ContentPost.workspace_id).where(ContentPost.workspace_id != artist.workspace_id)).first()
    theirs = set(RIVAL_TAGS)
    assert best_tag(Scope(0, rival, Role.owner)) in theirs  # their best is rated far above ours
    for platform in ("instagram", "x", "tiktok"):
        out = await generate_caption(artist, TOPIC, "witty", platform)
        assert not theirs & set(out["hashtags"]) and "rival" not in out["text"]


def test_the_tools_refuse_junk_arguments_and_read_one_workspace(artist):
    from types import SimpleNamespace

    from pydantic_ai import ModelRetry

    from dreamsuite.agents.captions import CaptionDeps, best_hashtags, best_posts

    ctx = SimpleNamespace(deps=CaptionDeps(scope=artist, platform="x"))
    for junk in ("DROP TABLE", "myspace", "x' OR 1=1"):
        with pytest.raises(ModelRetry, match="Unknown platform"):
            best_hashtags(ctx, junk)
    for junk in (0, 6, "3"):
        with pytest.raises(ModelRetry, match="1 to 5"):
            best_posts(ctx, "instagram", junk)
    ranked = best_hashtags(ctx, "instagram")
    assert ranked["basis"] == "instagram" and ranked["hashtags"][0]["tag"] == best_tag(artist, "instagram")
    assert best_hashtags(ctx, "x")["basis"] == "x, then all platforms"
    assert {p["platform"] for p in best_posts(ctx, "tiktok", 5)["posts"]} == {"tiktok"}
    assert not set(RIVAL_TAGS) & {h["tag"] for h in best_hashtags(ctx)["hashtags"]}


async def test_a_test_model_runs_every_tool_to_a_valid_caption(artist):
    from pydantic_ai.models.test import TestModel

    from dreamsuite.agents.captions import CaptionDeps, caption_agent

    model = TestModel(custom_output_args={"caption": "Hi", "hashtags": ["#A", "b", "c", "d", "e", "b"]})
    result = await caption_agent.run("anything", model=model, deps=CaptionDeps(scope=artist, platform="x"))
    assert result.output.hashtags == ["a", "b", "c", "d", "e"]
    assert "rivalsecret" not in result.all_messages_json().decode()


OWNER = Scope(user_id=1, workspace_id=1, role=Role.owner)


@pytest.mark.parametrize("topic,tone,platform,message", [
    ("", "casual", "instagram", "Say what the post is about first"),
    ("   \n ", "casual", "instagram", "Say what the post is about first"),
    ("a" * 301, "casual", "instagram", "Keep the topic to 300 characters; this one has 301."),
    (TOPIC, "angry", "instagram", "Choose a tone: professional, witty, casual or urgent."),
    (TOPIC, "", "instagram", "Choose a tone: professional, witty, casual or urgent."),
    (TOPIC, "casual", "", "Choose the account to post to first"),
    (TOPIC, "casual", "myspace", "Unknown platform 'myspace'."),
    (TOPIC, "casual", "spotify", "Dream Suite cannot post to Spotify yet, so it writes no captions for it."),
    (TOPIC, "casual", "apple_music", "Dream Suite cannot post to Apple Music yet"),
])
async def test_bad_requests_get_clear_messages(topic, tone, platform, message):
    with pytest.raises(CaptionError) as err:
        await generate_caption(OWNER, topic, tone, platform)
    assert err.value.message.startswith(message)


async def test_a_viewer_cannot_generate():
    with pytest.raises(AccessDenied, match="This needs the editor role; you are viewer."):
        await generate_caption(Scope(1, 1, Role.viewer), TOPIC, "casual", "instagram")


# ------------------------------------------------------------------ a real language model
@pytest.fixture
def scripted(monkeypatch):
    """A model that reads the best hashtags, answers with a caption too long for X, then (told
    why) with one that fits; its hashtags need tidying (a '#', capitals, a duplicate)."""
    fake = ScriptedLLM([
        ("best_hashtags", {"platform": "x"}),
        ("final_result", {"caption": "Night Drive " * 25, "hashtags": ["nightdrive", "synthpop", "newmusic",
                                                                     "indie", "friday"]}),
        ("final_result", {"caption": "Night Drive is out Friday. Set an alarm.",
                          "hashtags": ["#NightDrive", "synthpop", "NewMusic", "newmusic", "indie", "friday"]}),
    ])
    with as_the_model(fake, monkeypatch):
        yield fake


async def test_a_real_llm_reads_our_tool_and_retries_a_caption_over_the_limit(artist, scripted):
    out = await generate_caption(artist, TOPIC, "witty", "x")
    assert out["caption"] == "Night Drive is out Friday. Set an alarm."
    assert out["hashtags"] == ["nightdrive", "synthpop", "newmusic", "indie", "friday"]
    assert out["model"] == "openai-chat:fake-model" and len(out["text"]) <= 280
    first, second, third = scripted.requests
    assert {"best_hashtags", "best_posts", "final_result"} <= {t["function"]["name"] for t in first["tools"]}
    assert "Platform: x" in str(first["messages"]) and "Tone: witty" in str(first["messages"])
    tool_results = [m["content"] for m in second["messages"] if m["role"] == "tool"]
    assert best_tag(artist) in tool_results[-1] and "rivalsecret" not in str(second["messages"])
    retry = [m["content"] for m in third["messages"] if m["role"] == "tool"][-1]
    long = len("Night Drive " * 25) - 1 + len("\n\n#nightdrive #synthpop #newmusic #indie #friday")
    assert f"come to {long} characters, over the platform's limit of 280" in retry


async def test_a_provider_refusal_is_a_plain_message(artist, scripted):
    scripted.fail_with = 401
    with pytest.raises(CaptionError, match="refused our access") as err:
        await generate_caption(artist, TOPIC, "witty", "x")
    assert "Your topic is kept" in err.value.message
    assert "refused by the fake" not in err.value.message and "sk-test" not in err.value.message


# ------------------------------------------------------------------ the composer's button
async def _composer(token: str):
    from dreamsuite.state.composer import Account, ComposerState

    st = tab(ComposerState, token, "/composer")
    await handler(ComposerState, "check_login")(st)
    st.accounts = [Account("1", "X @nova", 280, "x"), Account("2", "Instagram @nova", 2200, "instagram")]
    return st, ComposerState


async def test_the_button_fills_the_text_for_the_strictest_account_and_keeps_what_was_typed(db):
    _, ws_id, token = auth.create_account("nova@example.com", "password1", "Nova", "UTC")
    st, cls = await _composer(token)
    st.selected, st.ai_topic, st.ai_tone = ["2", "1"], TOPIC, "urgent"
    await handler(cls, "generate_caption")(st)
    assert st.ai_error == "" and not st.ai_busy
    first = st.content
    assert len(first) <= 280 and "Night Drive" in first and first.count("#") == 5
    assert st.ai_note == ("Written for X (the tightest of your accounts, 280 characters): 5 hashtags. "
                          "Edit it as you like.")

    st.ai_tone = "witty"  # a new caption replaces the one generated, untouched since
    await handler(cls, "generate_caption")(st)
    assert st.content != first and st.content.count("#") == 5

    st.content = "Thank you Berlin!"  # what the artist typed stays; the caption goes below
    await handler(cls, "generate_caption")(st)
    assert st.content.startswith("Thank you Berlin!\n\n") and st.content.count("#") == 5
    again = st.content
    st.ai_tone = "casual"  # and the next caption replaces only the generated part
    await handler(cls, "generate_caption")(st)
    assert st.content.startswith("Thank you Berlin!\n\n") and st.content != again and st.content.count("#") == 5

    st.ai_topic = " "
    await handler(cls, "generate_caption")(st)
    assert st.ai_error.startswith("Say what the post is about first") and st.ai_note == ""

    with session() as s:
        s.exec(update(Membership).where(Membership.workspace_id == ws_id).values(role="viewer"))
    st.ai_topic = TOPIC
    await handler(cls, "generate_caption")(st)
    assert st.ai_error == "This needs the editor role; you are viewer." and not st.ai_busy
