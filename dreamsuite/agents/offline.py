"""The built-in offline analyst: a FunctionModel that needs no network or key.

First request of a turn: pick tools from the question's keywords. Once their results are in
the messages: write a short answer quoting their figures, streamed a few words at a time.
"""

from __future__ import annotations

import asyncio
import json
import re
from datetime import date, timedelta
from typing import AsyncIterator

from pydantic_ai.messages import (
    ModelMessage, ModelRequest, ModelResponse, TextPart, ToolCallPart, ToolReturnPart, UserPromptPart,
)
from pydantic_ai.models.function import AgentInfo, DeltaToolCall, FunctionModel

from dreamsuite.agents import answers, language, wording

MODEL_NAME = "offline-analyst"
WORDS_PER_CHUNK = 3


# Words for each platform (aliases and the common misspellings are matched fuzzily below).
PLATFORM_WORDS = {"instagram": "instagram", "insta": "instagram", "ig": "instagram", "facebook": "facebook",
                  "fb": "facebook", "youtube": "youtube", "yt": "youtube", "tiktok": "tiktok", "spotify": "spotify",
                  "soundcloud": "soundcloud", "twitter": "x", "deezer": "deezer", "tidal": "tidal"}
PHRASES = {"you tube": "youtube", "tik tok": "tiktok", "sound cloud": "soundcloud", "apple music": "apple_music",
           "amazon music": "amazon_music", "on x": "x", "x followers": "x", "my x": "x"}
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
# What only the platforms' artist dashboards know, by the words people use for it.
METRIC_WORDS = {r"\bstreams?\b|\bplays?\b": "streams", r"monthly listeners|\blisteners\b": "monthly_listeners",
                r"\bsaves?\b": "saves"}
OTHER_ARTIST = re.compile(r"\b(?:does|do|did|has)\s+(?!(?i:my|i|you|it|that|this|we|they|he|she|your|our)\b)"
                          r"([A-Z][\w'’.&-]*(?:\s+[A-Z][\w'’.&-]*)*)\s+(?:have|has|get|got|gain|grow|make)")


def find_platforms(text: str) -> list[str]:
    """The platforms a question names, in order, typos forgiven ("instagarm", "youtub")."""
    from rapidfuzz import fuzz, process

    t = f" {text.lower()} "
    found: list[str] = []
    for phrase, name in PHRASES.items():
        if phrase in t and name not in found:
            found.append(name)
    for word in re.findall(r"[a-z]+", t):
        name = PLATFORM_WORDS.get(word)
        if name is None and len(word) >= 6:
            match = process.extractOne(word, [w for w in PLATFORM_WORDS if len(w) >= 6], scorer=fuzz.ratio,
                                       score_cutoff=80)
            name = PLATFORM_WORDS[match[0]] if match else None
        if name and name not in found:
            found.append(name)
    return found


def infer_window(text: str, today: date | None = None) -> dict:
    """The period (or explicit start/end) a question asks about; the last 30 days by default."""
    t = text.lower()
    today = today or date.today()
    if m := re.search(r"\b(?:last|past|previous)\s+(\d{1,3})\s+(day|week|month)s?\b", t):
        n, unit = int(m.group(1)), m.group(2)
        days = n * {"day": 1, "week": 7, "month": 30}[unit]
        return {"period": f"last_{min(days, 730)}_days"} if days != 30 or unit == "day" else {"period": "last_30_days"}
    if re.search(r"since (my|the|our) (last |latest |new |newest )?(release|single|album|ep|drop)\b", t):
        return {"period": "since_release"}
    if re.search(r"last month|previous month", t):
        return {"period": "last_month"}
    if re.search(r"this month|month so far", t):
        return {"period": "this_month"}
    if re.search(r"last week|previous week", t):
        return {"period": "last_week"}
    if re.search(r"this week|week so far", t):
        return {"period": "this_week"}
    if re.search(r"\byesterday\b", t):
        return {"period": "yesterday"}
    if re.search(r"\btoday\b", t):
        return {"period": "today"}
    if m := re.search(r"\b(?:on|since|from)\s+(" + "|".join(MONTHS) + r"|" + "|".join(x[:3] for x in MONTHS)
                      + r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b", t):
        day_ = _month_day(m.group(1), int(m.group(2)), today)
        if day_ is not None:
            if t[m.start():m.start() + 2] == "on":
                return {"start": day_.isoformat(), "end": day_.isoformat()}
            return {"start": day_.isoformat()}
    if m := re.search(r"\b(?:in|during|for)\s+(" + "|".join(MONTHS) + r")\b(?:\s+(\d{4}))?", t):
        month = MONTHS.index(m.group(1)) + 1
        year = int(m.group(2)) if m.group(2) else (today.year if month <= today.month else today.year - 1)
        first = date(year, month, 1)
        last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1))
        return {"start": first.isoformat(), "end": min(last, today).isoformat()}
    if re.search(r"7 days|seven days|\bweek\b", t):
        return {"period": "last_7_days"}
    if re.search(r"90 days|quarter|3 months|three months", t):
        return {"period": "last_90_days"}
    if re.search(r"\byear\b|12 months|365", t):
        return {"period": "last_365_days"}
    if re.search(r"all[- ]time|\bever\b|since (i|we) (started|joined)|overall|history", t):
        return {"period": "all"}
    return {"period": "last_30_days"}


def _month_day(month: str, day_: int, today: date) -> date | None:
    number = next(i for i, m in enumerate(MONTHS, 1) if m.startswith(month[:3]))
    for year in (today.year, today.year - 1):
        try:
            found = date(year, number, day_)
        except ValueError:
            return None
        if found <= today:
            return found
    return None


def infer_period(text: str) -> str:
    """The named period only (kept for callers that need a name)."""
    return infer_window(text).get("period", "last_30_days")


def decline(question: str, original: str | None = None, lang: str = "en") -> str | None:
    """An answer of its own when the question asks for what no tool can know. `question` is in
    English; `original` in `lang`, as asked (names keep their capitals there)."""
    m = OTHER_ARTIST.search(question)
    name = m.group(1) if m else language.other_artist(original or "", lang) if lang != "en" else None
    if name and not find_platforms(name):
        return answers.other_artist(name)
    if re.search(r"\b(another|other|someone else'?s?|a different)\s+(user|artist|workspace|account)'?s?\b",
                 question.lower()):
        return answers.other_artist("")
    return None


def unavailable_metric(question: str, platforms: list[str]) -> tuple[str, str] | None:
    """(platform, metric) when the question asks a platform for a number it does not give."""
    from dreamsuite.agents.reader import unavailable_metrics

    q = question.lower()
    for pattern, metric in METRIC_WORDS.items():
        if re.search(pattern, q):
            for platform in platforms:
                if metric in unavailable_metrics(platform):
                    return platform, metric
    return None


# A platform's own daily numbers, by the words people use (the keys of services/platform_specs.py).
PLATFORM_METRICS = ((r"watch ?time|hours watched|minutes watched", "watch time"),
                    (r"(average )?view duration", "average view duration"),
                    (r"profile (views|visits)", "profile views"), (r"page views", "page views"),
                    (r"popularity", "popularity"), (r"website (taps|clicks)", "website taps"),
                    (r"video views", "video views"), (r"\bplays\b", "plays"), (r"\bimpressions\b", "impressions"),
                    (r"\breach\b", "reach"), (r"\bviews\b", "views"))
POST_WORDS = re.compile(r"\b(posts?|videos?|reels?|photos?|shorts?|tracks?|carousels?|content|most|least|top|"
                        r"worst|best)\b")
POST_METRICS = ((r"most liked|\blikes?\b|\bliked\b", "likes"), (r"comment", "comments"),
                (r"\bviews?\b|viewed|watched", "views"), (r"shared|\bshares?\b", "shares"),
                (r"\bsaved?\b|\bsaves\b", "saves"), (r"\breach(ed)?\b", "reach"))
POST_TYPES = ("reel", "photo", "carousel", "short", "video", "story", "track")


def _number(text: str) -> int:
    """"10k" → 10000, "1.5m" → 1500000, "12,500" → 12500."""
    t = text.strip().lower().replace(" ", "")
    scale = 1000 if t.endswith("k") else 1_000_000 if t.endswith("m") else 1
    t = t.rstrip("km")
    if scale == 1:
        t = t.replace(",", "").replace(".", "")
    return int(float(t) * scale)


def _singular(q: str) -> bool:
    """"my most liked post" asks for one; "my most liked posts" for several."""
    kinds = "post|video|reel|photo|short|carousel|track"
    return bool(re.search(rf"\b({kinds})\b", q)) and not re.search(rf"\b({kinds})s\b", q)


def _post_type(q: str) -> str | None:
    found = [t for t in POST_TYPES if re.search(rf"\b{t}s?\b", q)]
    return found[0] if len(found) == 1 else None


# Paid ads, merch and the ad budget: the promotion tools (agents/promotion_tools.py).
ADS = re.compile(r"\b(ads?|adverts?|advertising|ad spend|spend|spent|spending|campaigns?|creatives?|roas|cpa|ctr|"
                 r"cost per (click|conversion|result)|budget|promotion|paid (ads?|promotion|campaigns?)|boosted?|worth it|"
                 r"wasting|wasted|"
                 r"merch|shopify|shop|store|orders?)\b")
MERCH = re.compile(r"\b(merch|shopify|shop|store|orders?|t-?shirts?|hoodies?)\b")
WORTH = re.compile(r"worth|wast(e|es|ed|ing)|pay(s|ing)? off|still (work|good|running)|keep (running|it|paying)|"
                   r"should i (stop|pause|kill|turn off)|losing money|burning|not working|underperform")
ADVICE = re.compile(r"what should i do|budget|advice|advise|recommend|next (step|action)s?|where should i (put|spend|"
                    r"move)|shift|more money|accepted|dismissed|suggest")
RETURN = re.compile(r"bring back|brought back|brought in|return|made|make|earn|revenue|sales|roi\b|roas")
AD_CHANNELS = {"tiktok": "tiktok", "facebook": "meta", "instagram": "meta", "youtube": "google"}
AD_ONLY = re.compile(r"\b(meta|google)\b")  # ad channels that are not social platforms


def promotion_tools(question: str, today: date | None = None) -> list[tuple[str, dict]]:
    """The promotion tools for a question about ads, the ad budget or merch ([] when it is not one)."""
    q = question.lower()
    if not ADS.search(q):
        return []
    window = infer_window(q, today)
    named = [AD_CHANNELS[p] for p in find_platforms(question) if p in AD_CHANNELS]
    named += [w for w in AD_ONLY.findall(q) if w not in named]
    on = [{"channel": c} for c in dict.fromkeys(named)] or [{}]
    merch = MERCH.search(q) is not None
    ads = re.search(r"\bads?\b|advert|campaign|creative|roas|cpa|ctr|spend|spent|paid|boost", q) is not None
    if WORTH.search(q) and not (merch and not ads):
        return [("ad_worth_it", c) for c in on]
    if ADVICE.search(q):
        status = next((s for s in ("accepted", "dismissed", "expired") if s in q), "proposed")
        return [("promotion_advice", {"status": status})]
    if merch and not ads:
        return [("merch_sales", window)]
    level = "creative" if re.search(r"creative|\bads\b.*\bwhich\b|which ads?\b", q) else \
        "campaign" if "campaign" in q else "channel"
    calls = [("ad_performance", {**window, **c, "level": level}) for c in on]
    if RETURN.search(q) or merch:
        calls.append(("merch_sales", window))
    return calls


def choose_tools(question: str, today: date | None = None) -> list[tuple[str, dict]]:
    """(tool name, args) to call for a question; a general summary when nothing matches."""
    q = question.lower()
    window = infer_window(q, today)
    platforms = [p for p in find_platforms(question) if p not in ("apple_music", "amazon_music", "tidal")]
    on = [{"platform": p} for p in platforms] or [{}]
    calls: list[tuple[str, dict]] = []
    if re.search(r"\b(is|are|platforms?|accounts?) (are )?connected\b|what data (do|have|can)|what can you see|"
                 r"connected accounts|since when do you have", q):
        return [("data_inventory", {})]
    if promo := promotion_tools(question, today):
        return promo
    if re.search(r"\b(scheduled|upcoming|queued?|coming up|planned|going out)\b|\bnext posts?\b", q) and \
            not re.search(r"best (time|day)|when should", q):
        m = re.search(r"\bnext (\d{1,2}) days\b", q)
        days = int(m.group(1)) if m else 30 if re.search(r"month", q) else 1 if "tomorrow" in q else 7
        return [("upcoming_posts", {"days": max(1, min(days, 90)), **p}) for p in on]
    if re.search(r"\binsights?\b|(did you|have you) notice|anything (new|important|i should know)|\balerts?\b|"
                 r"recommendations?|what should i (do|know|work on)", q):
        return [("recent_insights", {})]
    if re.search(r"\bgoals?\b|target|milestone|on track", q) and not re.search(r"when will|forecast|predict", q):
        return [("goals_progress", {})]
    if re.search(r"forecast|predict|when will i|will i (reach|hit|get)|expect|next month|in \d+ days", q):
        args: dict = {}
        if m := re.search(r"\b(\d{1,3}(?:[,.]\d{3})+|\d+(?:\.\d+)?\s*[km]\b|\d{3,})", q):
            args["target"] = _number(m.group(1))
        if m := re.search(r"\bin (\d{1,2}) days\b", q):
            args["days"] = min(90, int(m.group(1)))
        return [("forecast", {**args, **p}) for p in on]
    if re.search(r"\b(vs|versus|or)\b.*\b(reels?|photos?|carousels?|shorts?|videos?)\b|content types?|"
                 r"(which|what) (kind|type)s? of (post|content)|format", q) and len(
            [t for t in POST_TYPES if re.search(rf"\b{t}s?\b", q)]) != 1:
        return [("content_performance", {"by": "type", **p}) for p in on]
    if re.search(r"which platform|compare|comparison|where should i (focus|post)|focus on|best platform|"
                 r"fastest|most engag|audience share|share of my", q):
        period = window.get("period", "")
        m = re.match(r"last_(\d+)_days", period)
        days = int(m.group(1)) if m else {"last_month": 30, "this_month": 30, "last_week": 7, "this_week": 7,
                                          "last_365_days": 365}.get(period, 30)
        return [("compare_platforms", {"days": max(7, min(days, 365))})]
    if re.search(r"why did|jump|spike|drop|unusual|what happened|sudden", q):
        return [("unusual_days", {**window, **p}) for p in on]
    if re.search(r"best (time|day|hour)|when (should|to|do) i post|what time|which day|weekends?\b", q):
        return [("best_times", p) for p in on]
    if re.search(r"hashtag|#\w", q):
        return [("content_performance", {"by": "hashtag", **p}) for p in on]
    own = next((m for pattern, m in PLATFORM_METRICS if re.search(pattern, q)), None)
    if own and not (own in ("views", "reach") and POST_WORDS.search(q)):
        return [("platform_metric", {"metric": own, **window, **p}) for p in on]
    metric = next((m for pattern, m in POST_METRICS if re.search(pattern, q)), None)
    worst = re.search(r"\b(worst|least|lowest|weakest|flop)", q) is not None
    counting = re.search(r"how many\s+(?:[\w-]+\s+){0,2}(posts?|videos?|reels?|photos?|tracks?|shorts?|"
                         r"carousels?)\b|how (often|many times) did i post|post count", q) is not None
    if counting or metric or worst or (_post_type(q) and re.search(r"best|top|most", q)):
        n = re.search(r"\b(?:top|best|worst)\s+(\d{1,2})\b", q)
        args = {**window, "metric": metric or "interactions", "order": "bottom" if worst else "top",
                "limit": max(1, min(int(n.group(1)), 20)) if n else 1 if _singular(q) else 5}
        if counting:
            args["limit"] = 1
        if kind := _post_type(q):
            args["post_type"] = kind
        if args.get("period") == "last_30_days" and "30" not in q and "month" not in q:
            args["period"] = "last_90_days"  # posts: a quarter unless a window is named
        calls += [("ranked_posts", {**args, **p}) for p in on]
        if counting:
            return calls
    if re.search(r"follow|grow|grew|growth|gain|audience|fans|subscri|lost|lose|los[ei]ng", q):
        calls += [("follower_growth", {**window, **p}) for p in on]
    ranked = any(n == "ranked_posts" for n, _ in calls)
    if not ranked and (re.search(r"\bposts?\b|\btop\b|content|videos?\b|reels?\b|perform", q)
                       or (not calls and "best" in q)):  # "…and what was my best post?" too
        n = re.search(r"\b(?:top|best)\s+(\d{1,2})\b", q)
        calls.append(("top_posts", {"limit": max(1, min(int(n.group(1)), 20)) if n else 5}))
    if re.search(r"engag|interact", q) or (re.search(r"\bcomments\b|\blikes\b", q) and not calls):
        calls.append(("engagement_summary", {}))
    if not calls and platforms:  # "how is my YouTube doing?"
        calls += [("follower_growth", {**window, **p}) for p in on]
    return calls or [("follower_growth", window), ("engagement_summary", {})]


FOLLOW_UP = re.compile(r"^\s*(and|what about|how about|same for|and for|also for|now for)\b", re.I)


def _questions(messages: list[ModelMessage]) -> list[str]:
    out = []
    for m in messages:
        if isinstance(m, ModelRequest):
            for p in m.parts:
                if isinstance(p, UserPromptPart):
                    c = p.content
                    out.append(c if isinstance(c, str) else " ".join(x for x in c if isinstance(x, str)))
    return out


def with_context(question: str, previous: str | None) -> str:
    """A follow-up ("and on YouTube?", "what about last week?") asks the previous question again
    with what it changes: the platforms it names replace the previous ones; a window is added."""
    if not previous or not FOLLOW_UP.search(question):
        return question
    named = find_platforms(question) or AD_ONLY.findall(question.lower())  # "and on Google?" after an ad question
    base = previous
    if named:
        words = [w for w in re.findall(r"\S+", previous)
                 if not find_platforms(w) and not AD_ONLY.fullmatch(w.lower().strip("?!.,"))]
        base = " ".join(words)
    rest = FOLLOW_UP.sub("", question).strip(" ?")
    return f"{base.rstrip(' ?')} {rest}?"


def _current_turn(messages: list[ModelMessage]) -> tuple[str, list[ToolReturnPart]]:
    """The latest user question and the tool results that came after it."""
    results: list[ToolReturnPart] = []
    for m in reversed(messages):
        if isinstance(m, ModelRequest):
            results[:0] = [p for p in m.parts if isinstance(p, ToolReturnPart)]
            prompts = [p for p in m.parts if isinstance(p, UserPromptPart)]
            if prompts:
                c = prompts[-1].content
                return (c if isinstance(c, str) else " ".join(x for x in c if isinstance(x, str))), results
    return "", results


def reply(messages: list[ModelMessage], info: AgentInfo) -> ModelResponse:
    """Read in the question's language (German, Spanish, French, Portuguese or English), parsed
    in English, answered in the question's language."""
    question, results = _current_turn(messages)
    lang = language.detect(question)
    asked = _questions(messages)
    previous = asked[-2] if len(asked) > 1 else None
    english = with_context(language.to_english(question, lang),
                           language.to_english(previous, language.detect(previous)) if previous else None)
    with wording.language(lang):
        return _reply(english, question, lang, results, {t.name for t in info.function_tools})


def _reply(question: str, original: str, lang: str, results: list[ToolReturnPart],
           available: set[str]) -> ModelResponse:
    if not results:
        if (refused := decline(question, original, lang)) is not None:
            return ModelResponse(parts=[TextPart(refused)])
        named = find_platforms(question)
        if missing := unavailable_metric(question, named):
            return ModelResponse(parts=[TextPart(answers.unavailable(*missing))])
        no_api = [p for p in named if p in ("apple_music", "amazon_music", "tidal")]
        if no_api and len(no_api) == len(named):
            return ModelResponse(parts=[TextPart(answers.no_public_api(no_api[0]))])
        calls = [(n, a) for n, a in choose_tools(question) if n in available]
        if calls:
            return ModelResponse(parts=[ToolCallPart(n, a) for n, a in calls])
        return ModelResponse(parts=[TextPart(answers.nothing_to_check())])
    found = [(r.tool_name, _as_dict(r.content)) for r in results if r.outcome == "success"]
    failed = [r.tool_name for r in results if r.outcome != "success"]
    return ModelResponse(parts=[TextPart(answers.compose(found, failed=failed))])


def _as_dict(content) -> dict:
    # Results are dicts in-process, but may come back as JSON text from another model's history.
    try:
        v = json.loads(content) if isinstance(content, str) else content
    except ValueError:
        return {}
    return v if isinstance(v, dict) else {}


def chunks(text: str, size: int = WORDS_PER_CHUNK) -> list[str]:
    words = re.findall(r"\S+\s*", text)
    return ["".join(words[i:i + size]) for i in range(0, len(words), size)] or [text]


async def stream_reply(messages: list[ModelMessage], info: AgentInfo) -> AsyncIterator[str | dict[int, DeltaToolCall]]:
    response = reply(messages, info)
    calls = [p for p in response.parts if isinstance(p, ToolCallPart)]
    if calls:
        yield {i: DeltaToolCall(name=c.tool_name, json_args=c.args_as_json_str(), tool_call_id=c.tool_call_id)
               for i, c in enumerate(calls)}
        return
    for piece in chunks("".join(p.content for p in response.parts if isinstance(p, TextPart))):
        yield piece
        await asyncio.sleep(0)  # let the consumer forward each piece as it comes


def offline_model() -> FunctionModel:
    return FunctionModel(reply, stream_function=stream_reply, model_name=MODEL_NAME)
