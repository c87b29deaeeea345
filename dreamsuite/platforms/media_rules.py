"""What media a platform takes in one post, and the check that names what breaks it.

Each adapter carries its rules as `media_rules` (platforms/<name>.py, with the documentation
page they come from); this module only knows how to read them. Pure: assets are plain dicts
with the media library's fields (filename, mime, kind, size_bytes, width, height, duration_s).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

MB = 1024 * 1024
GB = 1024 * MB

KIND_WORDS = {"image": ("a photo", "photos"), "video": ("a video", "videos"),
              "audio": ("an audio track", "audio tracks")}
MIME_NAMES = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WebP", "image/gif": "GIF",
              "video/mp4": "MP4", "video/quicktime": "MOV", "audio/mpeg": "MP3", "audio/mp4": "M4A",
              "audio/wav": "WAV"}


@dataclass(frozen=True)
class MediaRules:
    # The platform's documentation page the figures come from.
    source: str
    # What one post may carry: "image", "video", "audio".
    kinds: frozenset[str]
    max_items: int = 1
    # Image formats the platform takes (empty: every image format the library takes).
    image_mimes: frozenset[str] = frozenset()
    max_image_bytes: int | None = None
    max_gif_bytes: int | None = None
    max_video_bytes: int | None = None
    max_audio_bytes: int | None = None
    min_video_s: float | None = None
    max_video_s: float | None = None
    max_audio_s: float | None = None
    # Allowed width / height, both ends included, with how the platform words it.
    image_aspect: tuple[float, float] | None = None
    image_aspect_words: str = ""
    video_aspect: tuple[float, float] | None = None
    video_aspect_words: str = ""
    # Items that must be alone in a post: a kind ("video") or a format ("image/gif").
    alone: frozenset[str] = field(default_factory=frozenset)
    # False: a post needs at least one item (Instagram, TikTok, YouTube, SoundCloud).
    text_alone: bool = True

    def kinds_words(self) -> str:
        plural = [KIND_WORDS[k][1] for k in ("image", "video", "audio") if k in self.kinds]
        return " and ".join(plural) if len(plural) < 3 else ", ".join(plural[:-1]) + " and " + plural[-1]

    def needs_media(self, label: str) -> str:
        """The message for a post without media where the platform refuses text alone."""
        return f"{label} cannot post text alone: add {_one_of(self)} to this post."

    def _count(self) -> str:
        if self.max_items == 1:
            nouns = [KIND_WORDS[k][0].split()[-1] for k in ("image", "video", "audio") if k in self.kinds]
            return "one " + " or ".join(nouns)
        return f"at most {self.max_items} {self.kinds_words().replace(' and ', ' or ')}"

    def check(self, label: str, assets: list[dict[str, Any]]) -> list[str]:
        """Every rule the assets break, each in words naming the file and the rule ([] when fine)."""
        problems: list[str] = []
        if not assets:
            return [] if self.text_alone else [self.needs_media(label)]
        for a in assets:
            problems += self._check_one(label, a)
        if len(assets) > self.max_items:
            problems.append(f"{label} takes {self._count()} per post: this post has {len(assets)}.")
        lone = [a for a in assets if a.get("kind") in self.alone or a.get("mime") in self.alone]
        if lone and len(assets) > 1:
            what = " or ".join(sorted({_alone_word(a) for a in lone}))
            problems.append(f"{label} takes {what} alone in a post: {_name(lone[0])} cannot go with other files.")
        return problems

    def _check_one(self, label: str, a: dict[str, Any]) -> list[str]:
        name, kind, mime = _name(a), str(a.get("kind") or ""), str(a.get("mime") or "")
        if kind not in self.kinds:
            return [f"{label} takes {self.kinds_words()} only: {name} is {KIND_WORDS.get(kind, ('a file',))[0]}."]
        out: list[str] = []
        if kind == "image" and self.image_mimes and mime not in self.image_mimes:
            allowed = [MIME_NAMES.get(m, m) for m in sorted(self.image_mimes, key=_image_order)]
            words = allowed[0] if len(allowed) == 1 else ", ".join(allowed[:-1]) + " or " + allowed[-1]
            out.append(f"{label} takes {words} photos only: {name} is {MIME_NAMES.get(mime, mime)}. "
                       f"Save it as {allowed[0]} and add it again.")
        limit = self._max_bytes(kind, mime)
        size = int(a.get("size_bytes") or 0)
        if limit is not None and size > limit:
            what = "GIFs" if mime == "image/gif" else KIND_WORDS[kind][1]
            out.append(f"{name} is {human_size(size)}: {label} takes {what} up to {human_size(limit)}.")
        duration = a.get("duration_s")
        if kind == "video" and duration is not None:
            low, high = self.min_video_s, self.max_video_s
            if (low is not None and duration < low) or (high is not None and duration > high):
                out.append(f"{name} lasts {human_duration(duration)}: {label} takes videos {_span(low, high)}.")
        if kind == "audio" and duration is not None and self.max_audio_s is not None and duration > self.max_audio_s:
            out.append(f"{name} lasts {human_duration(duration)}: {label} takes audio up to "
                       f"{human_duration(self.max_audio_s)}.")
        bounds, words = ((self.image_aspect, self.image_aspect_words) if kind == "image"
                         else (self.video_aspect, self.video_aspect_words) if kind == "video" else (None, ""))
        w, h = a.get("width"), a.get("height")
        if bounds and w and h:
            ratio = w / h
            # Two decimals, as the platforms write them (1.91:1): 1080 x 566 is 1.908 and fine.
            if round(ratio, 2) < bounds[0] or round(ratio, 2) > bounds[1]:
                out.append(f"{name} is {w}×{h} (shape {ratio:.2f}:1): {label} takes "
                           f"{KIND_WORDS[kind][1]} {words or _span_ratio(bounds)}.")
        return out

    def _max_bytes(self, kind: str, mime: str) -> int | None:
        if kind == "image":
            return self.max_gif_bytes if mime == "image/gif" and self.max_gif_bytes else self.max_image_bytes
        return self.max_video_bytes if kind == "video" else self.max_audio_bytes


def _image_order(mime: str) -> int:
    order = ["image/jpeg", "image/png", "image/webp", "image/gif"]
    return order.index(mime) if mime in order else len(order)


def _name(a: dict[str, Any]) -> str:
    return str(a.get("filename") or f"file {a.get('id', '')}".strip())


def _one_of(rules: MediaRules) -> str:
    words = [KIND_WORDS[k][0] for k in ("image", "video", "audio") if k in rules.kinds]
    return " or ".join(words) or "a file"


def _alone_word(a: dict[str, Any]) -> str:
    return "a GIF" if a.get("mime") == "image/gif" else KIND_WORDS.get(str(a.get("kind")), ("a file",))[0]


def _span(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"from {human_duration(low)} to {human_duration(high)}"
    return f"of at least {human_duration(low)}" if low is not None else f"up to {human_duration(high)}"


def _span_ratio(bounds: tuple[float, float]) -> str:
    return f"from {bounds[0]:g}:1 to {bounds[1]:g}:1 (width to height)"


def human_size(n: int) -> str:
    if n >= GB:
        return f"{n / GB:.1f} GB".replace(".0 ", " ")
    if n >= MB:
        return f"{n / MB:.1f} MB".replace(".0 ", " ")
    if n >= 1024:
        return f"{n / 1024:.0f} KB"
    return f"{n} bytes"


def human_duration(seconds: float) -> str:
    if seconds < 10 and seconds != int(seconds):
        return f"{seconds:.1f} s"
    total = int(round(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min" if minutes else f"{hours} h"
    if minutes:
        return f"{minutes} min {secs:02d} s" if secs else f"{minutes} min"
    return f"{secs} s"


def check_media(platform: str, assets: list[dict[str, Any]]) -> list[str]:
    """What `platform` would refuse in these assets, in words (each names the file and the rule)."""
    from dreamsuite.platforms import get_adapter

    adapter = get_adapter(platform)
    rules = adapter.media_rules
    if rules is None:
        return [f"{adapter.label} does not take photos or videos from Dream Suite."] if assets else []
    return rules.check(adapter.label, assets)
