"""Every platform we show, declared: name, label, colour, what we read and why.

A declaration becomes a PlatformAdapter whose calls raise NotSupported ("coming soon", or "no
public API yet"); a platform's own module (platforms/<name>.py) replaces it in the registry.
"""

from __future__ import annotations

from dreamsuite.platforms.base import PlatformAdapter


def _declare(name: str, label: str, color: str, reads: str, *, has_api: bool = True,
             max_text_length: int | None = None) -> type[PlatformAdapter]:
    attrs = {"name": name, "label": label, "color": color, "reads": reads, "has_api": has_api,
             "connectable": False, "can_publish": False, "max_text_length": max_text_length}
    return type(f"{label.replace(' ', '')}Adapter", (PlatformAdapter,), attrs)


DECLARED: list[type[PlatformAdapter]] = [
    _declare("instagram", "Instagram", "#E1306C",
             "Followers, reach and each post's likes, comments and saves, to show what content grows you.",
             max_text_length=2200),
    _declare("facebook", "Facebook", "#1877F2",
             "Page followers, post reach and reactions, to compare your Page with your other channels.",
             max_text_length=63206),
    _declare("spotify", "Spotify", "#1DB954",
             "Followers and popularity of your artist profile, to track how releases land with listeners."),
    _declare("youtube", "YouTube", "#FF0000",
             "Subscribers, views and comments per video, to see which videos bring new fans.",
             max_text_length=5000),
    _declare("tiktok", "TikTok", "#000000",
             "Followers and each video's views, likes and shares, to spot clips that travel.",
             max_text_length=2200),
    _declare("soundcloud", "SoundCloud", "#FF5500",
             "Followers, plays and comments per track, to see which tracks people replay."),
    _declare("x", "X", "#14171A",
             "Followers and each post's impressions and replies, to measure conversation around you.",
             max_text_length=280),
    _declare("deezer", "Deezer", "#A238FF",
             "Fans and the public data of your artist page, to follow your audience on Deezer."),
    _declare("apple_music", "Apple Music", "#FA243C",
             "Apple offers no public API for artist statistics yet; we will add it when one exists.",
             has_api=False),
    _declare("amazon_music", "Amazon Music", "#25D1DA",
             "Amazon offers no public API for artist statistics yet; we will add it when one exists.",
             has_api=False),
    _declare("tidal", "TIDAL", "#000000",
             "TIDAL offers no public API for artist statistics yet; we will add it when one exists.",
             has_api=False),
]
