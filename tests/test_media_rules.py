"""Each platform's media rules, read from its adapter, and the words that name what breaks them."""

from __future__ import annotations

import pytest

from dreamsuite.platforms import CONNECTORS, get_adapter
from dreamsuite.platforms.media_rules import MB, check_media


def _asset(name: str, kind: str = "image", mime: str = "image/jpeg", size: int = 200_000, width: int | None = 1080,
           height: int | None = 1080, duration: float | None = None) -> dict:
    return {"id": hash(name) % 1000, "filename": name, "kind": kind, "mime": mime, "size_bytes": size,
            "width": width, "height": height, "duration_s": duration}


def _video(name: str = "clip.mp4", seconds: float = 30, width: int = 1080, height: int = 1920,
           size: int = 20 * MB) -> dict:
    return _asset(name, "video", "video/mp4", size, width, height, seconds)


def test_every_platform_that_publishes_says_what_media_it_takes_and_where_that_is_written():
    for cls in CONNECTORS:
        if cls.can_publish:
            assert cls.media_rules is not None, cls.name
            assert cls.media_rules.source.startswith("https://"), cls.name


def test_instagram_takes_jpeg_photos_in_its_shapes_and_never_text_alone():
    # Refused, not converted: the artist saves it as JPEG (a converted copy would be a file they
    # never saw, with colours and transparency decided for them).
    assert check_media("instagram", [_asset("cover.png", mime="image/png")]) == [
        "Instagram takes JPEG photos only: cover.png is PNG. Save it as JPEG and add it again."]
    assert check_media("instagram", [_asset("story.jpg", width=1080, height=1920)]) == [
        "story.jpg is 1080×1920 (shape 0.56:1): Instagram takes photos from 4:5 (portrait) to 1.91:1 (landscape)."]
    assert check_media("instagram", [_asset("portrait.jpg", width=1080, height=1350),
                                     _asset("wide.jpg", width=1080, height=566), _video()]) == []
    assert check_media("instagram", []) == ["Instagram cannot post text alone: add a photo or a video to this post."]
    assert check_media("instagram", [_asset(f"{i}.jpg") for i in range(11)])[-1] == \
        "Instagram takes at most 10 photos or videos per post: this post has 11."
    assert check_media("instagram", [_video(seconds=2.5)]) == [
        "clip.mp4 lasts 2.5 s: Instagram takes videos from 3 s to 15 min."]
    assert check_media("instagram", [_asset("huge.jpg", size=9 * MB)]) == [
        "huge.jpg is 9 MB: Instagram takes photos up to 8 MB."]


def test_x_takes_four_photos_or_one_video():
    photos = [_asset(f"p{i}.png", mime="image/png") for i in range(5)]
    assert check_media("x", photos[:4]) == []
    assert check_media("x", photos) == ["X takes at most 4 photos or videos per post: this post has 5."]
    assert check_media("x", [_video(), photos[0]]) == [
        "X takes a video alone in a post: clip.mp4 cannot go with other files."]
    assert check_media("x", [_asset("big.jpg", size=6 * MB)]) == ["big.jpg is 6 MB: X takes photos up to 5 MB."]
    assert check_media("x", [_asset("loop.gif", mime="image/gif", size=12 * MB)]) == []  # GIFs: 15 MB
    assert check_media("x", [_video(seconds=21 * 60)]) == [
        "clip.mp4 lasts 21 min: X takes videos from 0.5 s to 20 min."]
    assert check_media("x", []) == []  # text alone is a post


def test_tiktok_and_youtube_take_one_video_and_nothing_else():
    assert check_media("tiktok", [_asset("cover.jpg")]) == ["TikTok takes videos only: cover.jpg is a photo."]
    assert check_media("tiktok", [_video(seconds=2)]) == ["clip.mp4 lasts 2 s: TikTok takes videos from 3 s to 10 min."]
    assert check_media("tiktok", [_video(seconds=601)]) == [
        "clip.mp4 lasts 10 min 01 s: TikTok takes videos from 3 s to 10 min."]
    assert check_media("tiktok", [_video()]) == []
    assert check_media("tiktok", []) == ["TikTok cannot post text alone: add a video to this post."]
    assert check_media("youtube", [_video(), _video("b.mp4")]) == [
        "YouTube takes one video per post: this post has 2."]
    assert check_media("youtube", [_asset("song.mp3", "audio", "audio/mpeg", duration=200)]) == [
        "YouTube takes videos only: song.mp3 is an audio track."]


def test_facebook_takes_text_alone_or_one_photo_or_video():
    assert check_media("facebook", []) == []
    assert check_media("facebook", [_asset("a.jpg"), _asset("b.jpg")]) == [
        "Facebook takes one photo or video per post: this post has 2."]
    assert check_media("facebook", [_asset("a.webp", mime="image/webp")]) == [
        "Facebook takes JPEG, PNG or GIF photos only: a.webp is WebP. Save it as JPEG and add it again."]


def test_platforms_without_publishing_take_no_media():
    assert check_media("spotify", [_asset("a.jpg")]) == ["Spotify does not take photos or videos from Dream Suite."]
    assert check_media("spotify", []) == []


@pytest.mark.parametrize("platform", ["instagram", "x", "tiktok", "youtube", "facebook", "soundcloud"])
def test_rules_live_on_the_adapter(platform):
    assert get_adapter(platform).media_rules is type(get_adapter(platform)).media_rules
