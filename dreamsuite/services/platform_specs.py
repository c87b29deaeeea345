"""What each platform's own page shows: which of the keys its connector stores in
`DailyMetric.metrics` to chart, under which human label and unit, which breakdowns it keeps
(in its audience snapshot or as daily numbers), and which post numbers it really gives.

The keys are the connectors' own (platforms/<name>.py); a key a connector does not store is
never listed, so nothing is drawn as a row of zeros.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Metric:
    key: str  # the key in DailyMetric.metrics
    label: str
    unit: str = ""  # what the shown number counts: "hours", "min", "%", "/100"; "" a plain count
    scale: float = 1.0  # stored value × scale = shown value (watch time minutes → hours: 1/60)
    # How days add up into a week and accounts into one number: a day's flow is summed ("sum"),
    # an average is averaged ("mean"), a running total keeps its latest value ("last").
    agg: str = "sum"


@dataclass(frozen=True)
class Chart:
    title: str
    metrics: tuple[Metric, ...]
    note: str = ""


@dataclass(frozen=True)
class Breakdown:
    """Shares or counts by group: from the audience snapshot (`audience_key`) or the daily
    numbers summed over the range (`metric_keys`)."""

    title: str
    audience_key: str = ""
    metric_keys: tuple[tuple[str, str], ...] = ()  # (key, label)
    names: dict[str, str] = field(default_factory=dict)  # the platform's codes → words
    hours: bool = False  # the groups are UTC hours of the day (0-23): shown in the artist's time, in order


@dataclass(frozen=True)
class PlatformSpec:
    name: str
    followers_word: str = "Followers"
    # The platform's API gives past days; False: only today's numbers (the history grows a
    # day per sync, from the day the account was connected).
    history: bool = True
    charts: tuple[Chart, ...] = ()
    # Today's running totals shown as numbers, not lines (lifetime views, accounts followed...).
    snapshot: tuple[Metric, ...] = ()
    breakdowns: tuple[Breakdown, ...] = ()
    # The post numbers this platform gives, in the order of its posts table: (column, label).
    post_columns: tuple[tuple[str, str], ...] = (("likes", "Likes"), ("comments", "Comments"))
    # Numbers kept in a post's details that the table shows too: (key, label).
    post_details: tuple[tuple[str, str], ...] = ()
    # Posts are a catalogue (releases, top tracks), not a feed: all of them, whatever the range.
    catalogue: bool = False


def _one(key: str, label: str, **kw) -> Chart:
    m = Metric(key, label, **kw)
    return Chart(label + (f" ({m.unit})" if m.unit and m.unit not in ("%", "/100") else ""), (m,))


YT_TRAFFIC = {"YT_SEARCH": "YouTube search", "SUBSCRIBER": "Subscriptions feed", "RELATED_VIDEO": "Suggested videos",
              "SHORTS": "Shorts feed", "EXT_URL": "External sites", "PLAYLIST": "Playlists",
              "NOTIFICATION": "Notifications", "YT_CHANNEL": "Channel pages", "NO_LINK_OTHER": "Direct or unknown",
              "BROWSE": "Browse features", "ADVERTISING": "Ads", "END_SCREEN": "End screens",
              "ANNOTATION": "Cards and annotations", "HASHTAGS": "Hashtag pages", "SOUND_PAGE": "Sound pages",
              "YT_OTHER_PAGE": "Other YouTube pages", "CAMPAIGN_CARD": "Campaign cards", "LIVE_REDIRECT": "Live redirects",
              "NO_LINK_EMBEDDED": "Embedded players", "VIDEO_REMIXES": "Remixes"}
YT_DEVICES = {"MOBILE": "Phone", "DESKTOP": "Computer", "TV": "TV", "TABLET": "Tablet",
              "GAME_CONSOLE": "Game console", "UNKNOWN_PLATFORM": "Unknown"}

SPECS: dict[str, PlatformSpec] = {s.name: s for s in [
    PlatformSpec(
        "youtube", followers_word="Subscribers",
        charts=(
            _one("views", "Views"),
            _one("estimatedMinutesWatched", "Watch time", unit="hours", scale=1 / 60),
            _one("averageViewDuration", "Average view duration", unit="min", scale=1 / 60, agg="mean"),
            _one("averageViewPercentage", "Average percentage viewed", unit="%", agg="mean"),
            Chart("Subscribers gained and lost", (Metric("subscribersGained", "Subscribers gained"),
                                                  Metric("subscribersLost", "Subscribers lost"))),
            Chart("Likes, comments and shares", (Metric("likes", "Likes"), Metric("comments", "Comments"),
                                                 Metric("shares", "Shares"))),
        ),
        snapshot=(Metric("total_views", "Lifetime views", agg="last"),),
        breakdowns=(Breakdown("Traffic sources (last 28 days)", audience_key="traffic_sources", names=YT_TRAFFIC),
                    Breakdown("Devices (last 28 days)", audience_key="devices", names=YT_DEVICES)),
        post_columns=(("views", "Views"), ("likes", "Likes"), ("comments", "Comments")),
    ),
    PlatformSpec(
        "instagram",
        charts=(
            _one("reach", "Reach"),
            _one("views", "Views"),
            _one("profile_views", "Profile views"),
            _one("accounts_engaged", "Accounts engaged"),
            _one("total_interactions", "Interactions"),
            Chart("Follows and unfollows", (Metric("follows", "Follows"), Metric("unfollows", "Unfollows"))),
            _one("website_clicks", "Website taps"),
        ),
        snapshot=(Metric("follows_count", "Accounts you follow", agg="last"),
                  Metric("media_count", "Posts on the profile", agg="last")),
        breakdowns=(Breakdown("Profile button taps", metric_keys=(
                        ("email_clicks", "Email"), ("call_clicks", "Call"), ("text_clicks", "Text"),
                        ("direction_clicks", "Directions"))),
                    Breakdown("When your followers are online", audience_key="online_hours", hours=True)),
        post_columns=(("likes", "Likes"), ("comments", "Comments"), ("shares", "Shares"), ("saves", "Saves"),
                      ("views", "Views"), ("reach", "Reach")),
    ),
    PlatformSpec(
        "facebook",
        charts=(
            _one("views", "Views"),
            _one("reach", "Reach"),
            _one("post_engagements", "Post engagements"),
            _one("page_views", "Page views"),
            Chart("New follows and unfollows", (Metric("new_follows", "New follows"), Metric("unfollows", "Unfollows"))),
            _one("video_views", "Video views"),
        ),
        snapshot=(Metric("fan_count", "Page likes (fans)", agg="last"),),
        post_columns=(("likes", "Reactions"), ("comments", "Comments"), ("shares", "Shares"), ("views", "Views"),
                      ("reach", "Reach")),
    ),
    PlatformSpec(
        "spotify", history=False,
        charts=(_one("popularity", "Popularity", unit="/100", agg="mean"),),
        post_details=(("popularity", "Popularity"),), post_columns=(), catalogue=True,
    ),
    PlatformSpec(
        "tiktok", history=False,
        charts=(_one("likes_count", "Total likes", agg="last"),),
        snapshot=(Metric("following_count", "Accounts you follow", agg="last"),),
        post_columns=(("views", "Views"), ("likes", "Likes"), ("comments", "Comments"), ("shares", "Shares")),
    ),
    PlatformSpec(
        "x", history=False,
        charts=(_one("listed_count", "Lists you are on", agg="last"),),
        snapshot=(Metric("following_count", "Accounts you follow", agg="last"),
                  Metric("like_count", "Posts you liked", agg="last")),
        post_columns=(("impressions", "Impressions"), ("likes", "Likes"), ("comments", "Replies"),
                      ("shares", "Reposts"), ("saves", "Bookmarks")),
    ),
    PlatformSpec(
        "soundcloud", history=False,
        charts=(_one("plays_total", "Plays, all tracks", agg="last"),
                Chart("Likes, reposts and comments", (
                    Metric("likes_total", "Likes (all tracks)", agg="last"), Metric("reposts_total", "Reposts (all tracks)", agg="last"),
                    Metric("comments_total", "Comments (all tracks)", agg="last"))),
                _one("downloads_total", "Downloads, all tracks", agg="last")),
        snapshot=(Metric("track_count", "Tracks", agg="last"), Metric("playlist_count", "Playlists", agg="last"),
                  Metric("followings_count", "Accounts you follow", agg="last")),
        post_columns=(("plays", "Plays"), ("likes", "Likes"), ("shares", "Reposts"), ("comments", "Comments")),
        post_details=(("download_count", "Downloads"),), catalogue=True,
    ),
    PlatformSpec(
        "deezer", followers_word="Fans", history=False,
        snapshot=(Metric("nb_album", "Albums and singles", agg="last"),),
        post_columns=(("saves", "Fans"),), post_details=(("rank", "Rank"),), catalogue=True,
    ),
    PlatformSpec(
        "sandbox",
        charts=(_one("monthly_listeners", "Monthly listeners", agg="last"), _one("streams", "Streams"),
                _one("profile_views", "Profile views")),
        post_columns=(("likes", "Likes"), ("comments", "Comments"), ("shares", "Shares"), ("saves", "Saves"),
                      ("reach", "Reach")),
    ),
]}


def spec_for(platform: str) -> PlatformSpec:
    """The platform's description; a platform without one shows followers and posts only."""
    return SPECS.get(platform) or PlatformSpec(platform)


def all_metrics(spec: PlatformSpec) -> list[Metric]:
    return [m for c in spec.charts for m in c.metrics] + list(spec.snapshot)
