"""What an answer looked at, in words: every tool, its periods and dates, and odd arguments."""

import pytest

from dreamsuite.agents.looked_at import describe, describe_all
from dreamsuite.agents.promotion_tools import TOOLS as PROMOTION_TOOLS
from dreamsuite.agents.tools import TOOLS


@pytest.mark.parametrize("tool,args,expected", [
    ("data_inventory", {}, "Connected platforms and their data"),
    ("compare_platforms", {"days": 90}, "Every platform compared, last 90 days"),
    ("compare_platforms", {}, "Every platform compared, last 30 days"),
    ("platform_metric", {"metric": "watch time", "platform": "youtube", "period": "last_7_days"},
     "YouTube watch time, last 7 days"),
    ("platform_metric", {"metric": "views"}, "Views across platforms, last 30 days"),
    ("follower_growth", {"period": "this_week", "platform": "instagram"}, "Instagram followers, this week"),
    ("follower_growth", {}, "Followers across platforms, last 30 days"),
    ("follower_growth", {"period": "last_30_days", "platform": "ig"}, "Instagram followers, last 30 days"),
    ("follower_growth", {"period": "since_release", "platform": "spotify"},
     "Spotify followers, since your latest release"),
    ("follower_growth", {"period": "all"}, "Followers across platforms, all time"),
    ("follower_growth", {"start": "2026-10-01", "end": "2026-10-31"}, "Followers across platforms, Oct 1 – Oct 31"),
    ("follower_growth", {"start": "2026-10-05", "end": "2026-10-05", "platform": "tiktok"}, "TikTok followers, Oct 5"),
    ("follower_growth", {"start": "2025-12-15", "end": "2026-01-10"},
     "Followers across platforms, Dec 15, 2025 – Jan 10, 2026"),
    ("follower_growth", {"start": "2026-10-01"}, "Followers across platforms, since Oct 1"),
    ("top_posts", {"limit": 3}, "Top 3 posts by interactions, last 90 days"),
    ("engagement_summary", {}, "Engagement, last 7 and 30 days"),
    ("ranked_posts", {"metric": "likes", "platform": "instagram", "period": "last_90_days"},
     "Instagram posts ranked by likes, last 90 days"),
    ("ranked_posts", {"metric": "views", "order": "bottom", "post_type": "reel", "period": "last_month"},
     "Reels ranked by views (lowest first), last month"),
    ("content_performance", {"by": "hashtag", "platform": "tiktok"}, "TikTok engagement by hashtag, last 90 days"),
    ("content_performance", {}, "Engagement by content type, last 90 days"),
    ("best_times", {"platform": "instagram"}, "Instagram best times to post, last 90 days"),
    ("best_times", {}, "Best times to post, last 90 days"),
    ("goals_progress", {}, "Your goals"),
    ("forecast", {"platform": "youtube", "target": 10000, "days": 60},
     "YouTube follower forecast, next 60 days, to 10,000 followers"),
    ("forecast", {}, "Follower forecast across platforms, next 30 days"),
    ("unusual_days", {"period": "last_14_days", "platform": "facebook"},
     "Facebook unusual follower days, last 14 days"),
    ("recent_insights", {"limit": 3}, "Your latest 3 insights"),
    ("recent_insights", {}, "Your latest 5 insights"),
    ("upcoming_posts", {"days": 14, "platform": "x"}, "X scheduled posts, next 14 days"),
    ("upcoming_posts", {}, "Scheduled posts, next 7 days"),
    ("ad_performance", {"channel": "tiktok", "period": "last_7_days"},
     "TikTok ads: spend and returns by channel, last 7 days"),
    ("ad_performance", {"level": "creative"}, "Ads: spend and returns by creative, last 30 days"),
    ("ad_performance", {"channel": "myspace"}, "Ads: spend and returns by channel, last 30 days"),
    ("ad_worth_it", {"channel": "instagram", "creative": "Studio diary #1"},
     "Meta ads (Studio diary #1): worth the money? Last 28 days"),
    ("ad_worth_it", {}, "Ads: worth the money? Last 28 days"),
    ("merch_sales", {"start": "2026-10-01", "end": "2026-10-31"}, "Merch sales, Oct 1 – Oct 31"),
    ("promotion_advice", {}, "The promotion brain's next actions"),
    ("promotion_advice", {"status": "accepted"}, "The promotion brain's accepted actions"),
])
def test_each_tool_in_words(tool, args, expected):
    assert describe(tool, args) == expected


def test_every_tool_of_the_agents_has_its_own_words():
    for tool in [*TOOLS, *PROMOTION_TOOLS]:
        assert describe(tool.__name__, {}) != tool.__name__.replace("_", " ").capitalize(), tool.__name__


@pytest.mark.parametrize("tool,args", [
    ("follower_growth", {"period": 5, "platform": ["x"], "start": "not a date"}),
    ("forecast", "junk"), ("ranked_posts", {"metric": None, "limit": "many", "post_type": "<b>"}),
    ("follower_growth", None), ("upcoming_posts", {"days": True}),
    ("ad_performance", {"channel": 3, "level": ["x"]}), ("ad_worth_it", {"creative": {"a": 1}}),
])
def test_odd_arguments_from_a_model_give_plain_words(tool, args):
    assert isinstance(describe(tool, args), str) and describe(tool, args)


def test_unknown_tool_falls_back_to_its_name():
    assert describe("web_search", {"q": "x"}) == "Web search"
    assert describe("", {}) == "Data"


def test_a_turn_says_each_thing_once():
    calls = [{"tool": "follower_growth", "args": {"platform": "instagram", "period": "this_week"}},
             {"tool": "follower_growth", "args": {"platform": "instagram", "period": "this_week"}},
             {"tool": "top_posts", "args": {}}, "junk", {"tool": None}]
    assert describe_all(calls) == ["Instagram followers, this week", "Top 5 posts by interactions, last 90 days"]
    assert describe_all("not a list") == []
