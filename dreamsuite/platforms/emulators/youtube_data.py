"""The emulated YouTube channel's resources, told from the artist's Story: the channel, its
uploads (story videos and shorts, plus videos uploaded through the API), comment threads with
the channel owner's replies, and YouTube Analytics result tables — in the field names and
types of Google's discovery documents (uint64 as strings, ISO 8601 durations and times).
"""

from __future__ import annotations

import base64
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property, lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from dreamsuite.platforms.emulators.store import Account
from dreamsuite.platforms.emulators.story import Comment, Post, Story, rng, story

AUTH = "https://www.googleapis.com/auth/"
COMMENT = (AUTH + "youtube.force-ssl",)  # commentThreads.insert takes this scope only
COMMENT_COST = 50  # quota units of a comment written
PACIFIC = ZoneInfo("America/Los_Angeles")  # where YouTube's quota day turns
VIDEO_PARTS = ("id", "snippet", "contentDetails", "statistics", "status", "processingDetails", "player",
               "topicDetails", "recordingDetails", "localizations")
ANALYTICS_LAG_DAYS = 2  # day rows stop a couple of days before today
DAY_METRICS = ("views", "estimatedMinutesWatched", "averageViewDuration", "averageViewPercentage",
               "subscribersGained", "subscribersLost", "likes", "dislikes", "comments", "shares")
SPLIT_METRICS = ("views", "estimatedMinutesWatched")
TRAFFIC = {"YT_SEARCH": 24, "SUBSCRIBER": 18, "RELATED_VIDEO": 20, "SHORTS": 16, "EXT_URL": 7, "PLAYLIST": 5,
           "NOTIFICATION": 4, "YT_CHANNEL": 4, "NO_LINK_OTHER": 2}
DEVICES = {"MOBILE": 64, "DESKTOP": 20, "TV": 11, "TABLET": 4, "GAME_CONSOLE": 1}
_AGES = {"13-17": "age13-17", "18-24": "age18-24", "25-34": "age25-34", "35-44": "age35-44", "45-54": "age45-54",
         "55-64": "age55-64", "65+": "age65-"}
_GENDERS = {"F": "female", "M": "male", "U": "user_specified"}


@lru_cache(maxsize=256)
def _posts(persona: str, anchor: date, until: date) -> tuple[Post, ...]:
    return tuple(story(persona, anchor).posts("youtube", until))


@lru_cache(maxsize=4096)
def _comments(persona: str, anchor: date, post: Post, until: date) -> tuple[Comment, ...]:
    return tuple(story(persona, anchor).comments("youtube", post, until))


def b64id(*parts: object, n: int = 22) -> str:
    raw = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return base64.urlsafe_b64encode(raw).decode()[:n]


def iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def duration(seconds: int) -> str:
    minutes, s = divmod(seconds, 60)
    h, m = divmod(minutes, 60)
    return "PT" + (f"{h}H" if h else "") + (f"{m}M" if m else "") + (f"{s}S" if s or not (h or m) else "")


def three_figures(n: int) -> int:
    """Subscriber counts are rounded down to three significant figures on YouTube."""
    if n < 1000:
        return n
    step = 10 ** (len(str(n)) - 3)
    return n // step * step


def thumbnails(vid: str) -> dict:
    return {"default": {"url": f"https://i.ytimg.com/vi/{vid}/default.jpg", "width": 120, "height": 90},
            "medium": {"url": f"https://i.ytimg.com/vi/{vid}/mqdefault.jpg", "width": 320, "height": 180},
            "high": {"url": f"https://i.ytimg.com/vi/{vid}/hqdefault.jpg", "width": 480, "height": 360}}


@dataclass(frozen=True)
class Video:
    id: str
    published_at: datetime
    post: Post | None = None  # a story video
    uploaded: dict | None = None  # a video uploaded through the API (its stored resource)


@dataclass
class ChannelData:
    account: Account
    story: Story
    today: date
    published: list[dict]

    has_channel = True

    @property
    def channel_id(self) -> str:
        return "UC" + b64id("channel", self.account.platform, self.account.id)

    @property
    def uploads_id(self) -> str:
        return "UU" + self.channel_id[2:]

    @property
    def handle(self) -> str:
        return "@" + self.account.handle.replace("_", "")

    @cached_property
    def videos(self) -> list[Video]:
        """The uploads playlist, newest first."""
        out = [Video(self.video_id(p), p.posted_at, post=p) for p in self.story_videos()]
        out += [Video(u["id"], datetime.fromisoformat(u["snippet"]["publishedAt"]), uploaded=u)
                for u in self.published]
        return sorted(out, key=lambda v: v.published_at, reverse=True)

    def story_videos(self) -> list[Post]:
        return list(_posts(self.story.persona, self.story.anchor, self.today))

    def story_comments(self, post: Post) -> list[Comment]:
        return list(_comments(self.story.persona, self.story.anchor, post, self.today))

    @cached_property
    def video_by_id(self) -> dict[str, Video]:
        return {v.id: v for v in self.videos}

    def video_id(self, post: Post) -> str:
        return b64id("video", self.account.persona, post.id, n=11)

    # ------------------------------------------------------------ channel
    def channel(self) -> dict:
        subscribers = self.story.followers("youtube", self.today)
        views = sum(self.story.daily_views("youtube", self.story.start + timedelta(days=i))
                    for i in range((self.today - self.story.start).days + 1))
        created = datetime.combine(self.story.start - timedelta(days=120), datetime.min.time(), tzinfo=UTC)
        return {
            "kind": "youtube#channel", "etag": b64id("etag", self.channel_id, self.today), "id": self.channel_id,
            "snippet": {"title": self.account.name, "description": f"Official channel of {self.account.name}.",
                        "customUrl": self.handle.lower(), "publishedAt": iso(created), "country": "DE",
                        "thumbnails": thumbnails(self.channel_id),
                        "localized": {"title": self.account.name, "description": ""}},
            "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": self.uploads_id}},
            "statistics": {"viewCount": str(views), "subscriberCount": str(three_figures(subscribers)),
                           "hiddenSubscriberCount": False, "videoCount": str(len(self.videos))},
        }

    # ------------------------------------------------------------ videos
    def comments_enabled(self, v: Video) -> bool:
        return v.uploaded is not None or int(hashlib.sha256(v.id.encode()).hexdigest(), 16) % 9 != 0

    def ratings_enabled(self, v: Video) -> bool:
        return v.uploaded is not None or int(hashlib.sha256(v.id.encode()).hexdigest(), 16) % 11 != 0

    def playlist_item(self, v: Video) -> dict:
        video = self.video(v)
        return {"kind": "youtube#playlistItem", "etag": b64id("etag", "pi", v.id), "id": b64id("pi", v.id, n=40),
                "snippet": {**{k: video["snippet"][k] for k in ("publishedAt", "channelId", "title", "description",
                                                                 "thumbnails", "channelTitle")},
                            "playlistId": self.uploads_id, "position": self.videos.index(v),
                            "resourceId": {"kind": "youtube#video", "videoId": v.id},
                            "videoOwnerChannelTitle": self.account.name, "videoOwnerChannelId": self.channel_id},
                "contentDetails": {"videoId": v.id, "videoPublishedAt": iso(v.published_at)},
                "status": {"privacyStatus": video["status"]["privacyStatus"]}}

    def video(self, v: Video) -> dict:
        if v.uploaded is not None:
            return {**v.uploaded, "status": dict(v.uploaded["status"])}
        p = v.post
        words = [w for w in p.caption.split() if not w.startswith("#")]
        stats: dict[str, Any] = {"viewCount": str(p.views), "favoriteCount": "0"}
        if self.ratings_enabled(v):
            stats["likeCount"] = str(p.likes)
        if self.comments_enabled(v):
            stats["commentCount"] = str(len(self.story_comments(p)))
        return {
            "kind": "youtube#video", "etag": b64id("etag", v.id), "id": v.id,
            "snippet": {"publishedAt": iso(p.posted_at), "channelId": self.channel_id, "title": " ".join(words),
                        "description": p.caption, "thumbnails": thumbnails(v.id), "channelTitle": self.account.name,
                        "tags": list(p.hashtags), "categoryId": "10", "liveBroadcastContent": "none",
                        "localized": {"title": " ".join(words), "description": p.caption}},
            "contentDetails": {"duration": duration(p.duration_s), "dimension": "2d", "definition": "hd",
                               "caption": "false", "licensedContent": False, "contentRating": {},
                               "projection": "rectangular"},
            "status": {"uploadStatus": "processed", "privacyStatus": "public", "license": "youtube",
                       "embeddable": True, "publicStatsViewable": True, "madeForKids": False},
            "statistics": stats,
        }

    @staticmethod
    def uploaded(account: Account, meta: dict, upload_id: str, size: int) -> dict:
        """The video resource a finished upload creates (processing has just begun)."""
        vid = b64id("upload", upload_id, secrets.token_hex(4), n=11)
        snippet, status = dict(meta.get("snippet") or {}), dict(meta.get("status") or {})
        channel = "UC" + b64id("channel", account.platform, account.id)
        now = iso(datetime.now(UTC))
        out_snippet = {"publishedAt": now, "channelId": channel, "title": snippet.get("title", ""),
                       "description": snippet.get("description", ""), "thumbnails": thumbnails(vid),
                       "channelTitle": account.name, "categoryId": str(snippet.get("categoryId") or "22"),
                       "liveBroadcastContent": "none"}
        if snippet.get("tags"):
            out_snippet["tags"] = [str(t) for t in snippet["tags"]]
        return {"kind": "youtube#video", "etag": b64id("etag", vid), "id": vid, "snippet": out_snippet,
                "contentDetails": {"duration": "P0D", "dimension": "2d", "definition": "sd", "caption": "false",
                                   "licensedContent": False, "contentRating": {}, "projection": "rectangular"},
                "status": {"uploadStatus": "uploaded", "privacyStatus": status.get("privacyStatus", "public"),
                           "license": "youtube", "embeddable": True, "publicStatsViewable": True,
                           "madeForKids": bool(status.get("selfDeclaredMadeForKids", False)),
                           "selfDeclaredMadeForKids": bool(status.get("selfDeclaredMadeForKids", False))},
                "statistics": {"viewCount": "0", "likeCount": "0", "favoriteCount": "0", "commentCount": "0"},
                "fileDetails": {"fileSize": str(size)}}

    # ------------------------------------------------------------ comments
    def _story_comments(self, v: Video) -> list[Comment]:
        return self.story_comments(v.post) if v.post else []

    def threads(self, v: Video) -> list[tuple[Video, Comment, list[Comment]]]:
        """Top-level comments with their replies, newest first (order=time)."""
        comments = self._story_comments(v)
        tops = [c for c in comments if not c.parent_id]
        out = [(v, c, [r for r in comments if r.parent_id == c.id]) for c in tops]
        return sorted(out, key=lambda t: t[1].created_at, reverse=True)

    def thread_id(self, v: Video, c: Comment) -> str:
        return "Ugz" + b64id("thread", v.id, c.id, n=23)

    def comment(self, v: Video, c: Comment, parent: str = "") -> dict:
        owner = c.author == "artist"
        cid = f"{parent}.{b64id('reply', c.id)}" if parent else self.thread_id(v, c)
        author_channel = self.channel_id if owner else "UC" + b64id("fan", c.author)
        snippet = {"channelId": self.channel_id, "videoId": v.id, "textDisplay": c.text, "textOriginal": c.text,
                   "authorDisplayName": self.handle if owner else "@" + c.author.replace(".", "").replace("_", ""),
                   "authorProfileImageUrl": f"https://yt3.ggpht.com/{b64id('avatar', author_channel)}",
                   "authorChannelUrl": f"http://www.youtube.com/channel/{author_channel}",
                   "authorChannelId": {"value": author_channel}, "canRate": True, "viewerRating": "none",
                   "likeCount": c.likes, "publishedAt": iso(c.created_at), "updatedAt": iso(c.created_at)}
        if parent:
            snippet["parentId"] = parent
        return {"kind": "youtube#comment", "etag": b64id("etag", cid), "id": cid, "snippet": snippet}

    def thread(self, t: tuple[Video, Comment, list[Comment]], inline: int) -> dict:
        v, top, replies = t
        tid = self.thread_id(v, top)
        body = {"kind": "youtube#commentThread", "etag": b64id("etag", tid), "id": tid,
                "snippet": {"channelId": self.channel_id, "videoId": v.id, "topLevelComment": self.comment(v, top),
                            "canReply": True, "totalReplyCount": len(replies), "isPublic": True}}
        if replies and inline > 0:
            body["replies"] = {"comments": [self.comment(v, r, tid) for r in replies[:inline]]}
        return body

    @cached_property
    def _threads_by_id(self) -> dict[str, tuple[Video, Comment, list[Comment]]]:
        return {self.thread_id(v, t[1]): t for v in self.videos if v.post and self.comments_enabled(v)
                for t in self.threads(v)}

    def replies_of(self, parent: str) -> list[dict] | None:
        found = self._threads_by_id.get(parent)
        return None if found is None else [self.comment(found[0], r, parent) for r in found[2]]

    # ------------------------------------------------------------ analytics
    def _day_row(self, d: date) -> dict[str, float]:
        s, r = self.story, rng(self.story.persona, "youtube", "analytics", d)
        views = s.daily_views("youtube", d)
        avg = 60 + int(90 * r.random())
        today, before = s.followers("youtube", d), s.followers("youtube", d - timedelta(days=1))
        net = today - before if d > s.start else 0
        churn = max(1, int(today * 0.0004 * r.random()))
        return {"views": views, "estimatedMinutesWatched": views * avg // 60, "averageViewDuration": avg,
                "averageViewPercentage": round(25 + 35 * r.random(), 2), "subscribersGained": max(0, net) + churn,
                "subscribersLost": churn + max(0, -net), "likes": int(views * 0.04), "dislikes": int(views * 0.002),
                "comments": int(views * 0.004), "shares": int(views * 0.003)}

    def _days(self, start: date, end: date) -> list[date]:
        first, last = max(start, self.story.start), min(end, self.today - timedelta(days=ANALYTICS_LAG_DAYS))
        return [first + timedelta(days=i) for i in range((last - first).days + 1)]

    def _split(self, weights: dict[str, float], key: str, metrics: list[str], start: date, end: date) -> list[list]:
        views = sum(self.story.daily_views("youtube", d) for d in self._days(start, end))
        r = rng(self.story.persona, "youtube", key)
        noisy = {k: w * (0.8 + 0.4 * r.random()) for k, w in weights.items()}
        total = sum(noisy.values())
        rows = []
        for name, w in noisy.items():
            v = int(views * w / total)
            if v:
                rows.append([name, *[v if m == "views" else v * 2 for m in metrics]])
        return rows

    def _demographics(self, dimensions: list[str]) -> list[list]:
        audience = self.story.audience("youtube")
        cells: dict[tuple, float] = {}
        for age, a in audience["age"].items():
            for g, share in audience["gender"].items():
                key = tuple(v for dim, v in (("ageGroup", _AGES[age]), ("gender", _GENDERS[g])) if dim in dimensions)
                cells[key] = cells.get(key, 0.0) + a * share * 100
        return [[*k, round(v, 1)] for k, v in cells.items() if round(v, 1) > 0]

    def report(self, dimensions: list[str], metrics: list[str], start: date, end: date, sort: str) -> dict | None:
        if not metrics:
            return None
        if dimensions == ["day"] and set(metrics) <= set(DAY_METRICS):
            rows = [[d.isoformat(), *[self._day_row(d)[m] for m in metrics]] for d in self._days(start, end)]
        elif len(dimensions) == 1 and dimensions[0] in ("insightTrafficSourceType", "deviceType", "country") \
                and set(metrics) <= set(SPLIT_METRICS):
            weights = {"insightTrafficSourceType": TRAFFIC, "deviceType": DEVICES}.get(dimensions[0]) \
                or {k: v * 100 for k, v in self.story.audience("youtube")["countries"].items()}
            rows = self._split(weights, dimensions[0], metrics, start, end)
        elif set(dimensions) <= {"ageGroup", "gender"} and dimensions and metrics == ["viewerPercentage"]:
            rows = self._demographics(dimensions) if self._days(start, end) else []
        else:
            return None
        columns = dimensions + metrics
        for key in reversed([k for k in sort.split(",") if k]):
            name = key.lstrip("-")
            if name in columns:
                rows.sort(key=lambda row: row[columns.index(name)], reverse=key.startswith("-"))
        table: dict[str, Any] = {"kind": "youtubeAnalytics#resultTable", "columnHeaders": [
            {"name": c, "columnType": "DIMENSION" if c in dimensions else "METRIC",
             "dataType": "STRING" if c in dimensions else
             ("FLOAT" if c in ("averageViewPercentage", "viewerPercentage") else "INTEGER")} for c in columns]}
        if rows:
            table["rows"] = rows
        return table
