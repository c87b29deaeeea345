"""The media library on real databases and a real disk (and a real S3 protocol server): type read
from the bytes, sizes and durations read by the libraries, one file per content, deletion
refused while a waiting post uses the file, workspaces kept apart, and the signed links
platforms fetch."""

from __future__ import annotations

import time
import uuid
from pathlib import Path

import httpx
import pytest
from sqlmodel import select
from starlette.testclient import TestClient

from dreamsuite import db as dbm
from dreamsuite.models import MediaAsset, Role, ScheduledPost
from dreamsuite.services import auth, media
from dreamsuite.services.auth import SESSION_COOKIE
from dreamsuite.services.media import MediaError
from dreamsuite.services.scope import AccessDenied
from dreamsuite.settings import get_settings
from tests.conftest import free_port
from tests.helpers import add_member, make_workspace
from tests.media_files import fixture, picture, wav

pytestmark = pytest.mark.db


@pytest.fixture
def media_dir(db, tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "media"
    monkeypatch.setenv("MEDIA_DIR", str(folder))
    for name in ("S3_BUCKET", "S3_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("API_URL", "http://api.test")
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


@pytest.fixture
def scope(media_dir):
    return make_workspace("nova@example.com")[2]


def _files(folder: Path) -> list[Path]:
    """The library's files (thumbnails aside)."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and "thumbs" not in p.parts)


def _rows() -> list[MediaAsset]:
    with dbm.session() as s:
        return s.exec(select(MediaAsset)).all()


def _post_using(scope, asset_id: int, status: str = "scheduled") -> int:
    with dbm.session() as s:
        post = ScheduledPost(workspace_id=scope.workspace_id, author_id=scope.user_id, content="Out now",
                             media=[asset_id], scheduled_at=dbm.utcnow(), status=status)
        s.add(post)
        s.flush()
        return post.id


# ------------------------------------------------------------------ upload
def test_the_same_bytes_twice_are_one_asset_and_one_file(scope, media_dir):
    data = picture(300, 200)
    first = media.upload(scope, "cover.png", data)
    again = media.upload(scope, "cover (copy).png", data)
    assert again["id"] == first["id"] and again["filename"] == "cover.png"
    assert len(_rows()) == 1
    [path] = _files(media_dir)
    assert path.name == f"{first['sha256']}.png" and path.read_bytes() == data
    assert path.parent.name == f"ws{scope.workspace_id}"
    # Another picture is another asset; the list is newest first.
    other = media.upload(scope, "back.png", picture(300, 200, color=(0, 184, 148)))
    assert [a["id"] for a in media.list_assets(scope)] == [other["id"], first["id"]]


def test_the_type_comes_from_the_bytes_not_the_name(scope, media_dir):
    png_named_jpg = media.upload(scope, "photo.jpg", picture(120, 80))
    assert (png_named_jpg["mime"], png_named_jpg["kind"]) == ("image/png", "image")
    assert png_named_jpg["filename"] == "photo.jpg"
    assert _files(media_dir)[0].suffix == ".png"
    with pytest.raises(MediaError, match=r"notes\.mp4 is not a file we can use: the library takes JPEG, PNG"):
        media.upload(scope, "notes.mp4", b"Setlist: intro, single, encore\n" * 50)
    with pytest.raises(MediaError, match=r"scan\.bmp is a BMP image"):
        media.upload(scope, "scan.bmp", picture(40, 40, fmt="BMP"))
    with pytest.raises(MediaError, match="empty"):
        media.upload(scope, "nothing.png", b"")
    with pytest.raises(MediaError, match="damaged"):
        media.upload(scope, "cut.png", picture(200, 200)[:300])
    assert len(_rows()) == 1 and len(_files(media_dir)) == 1  # nothing of the refused ones stays


@pytest.mark.parametrize("name,data,expected", [
    ("wide.png", lambda: picture(300, 200), ("image/png", "image", 300, 200, None)),
    ("photo.webp", lambda: picture(64, 80, fmt="WEBP"), ("image/webp", "image", 64, 80, None)),
    ("loop.gif", lambda: picture(50, 50, fmt="GIF"), ("image/gif", "image", 50, 50, None)),
    # Stored on its side (EXIF orientation 6): people see it upright, 300 wide and 400 high.
    ("phone.jpg", lambda: picture(400, 300, fmt="JPEG", orientation=6), ("image/jpeg", "image", 300, 400, None)),
    ("clip.mp4", lambda: fixture("clip.mp4"), ("video/mp4", "video", 64, 36, 4.0)),
    ("short.mov", lambda: fixture("short.mov"), ("video/quicktime", "video", 36, 64, 2.0)),
    ("tone.m4a", lambda: fixture("tone.m4a"), ("audio/mp4", "audio", None, None, 3.0)),
    ("tone.mp3", lambda: fixture("tone.mp3"), ("audio/mpeg", "audio", None, None, 3.0)),
    ("take.wav", lambda: wav(2.0), ("audio/wav", "audio", None, None, 2.0)),
])
def test_sizes_and_durations_are_read(scope, media_dir, name, data, expected):
    asset = media.upload(scope, name, data())
    mime, kind, width, height, seconds = expected
    assert (asset["mime"], asset["kind"], asset["width"], asset["height"]) == (mime, kind, width, height)
    if seconds is None:
        assert asset["duration_s"] is None
    else:
        assert asset["duration_s"] == pytest.approx(seconds, abs=0.1)
    assert asset["size_bytes"] == len(data()) and _files(media_dir)[0].suffix == "." + media.ACCEPTED[mime][1]


def test_the_size_cap_per_kind_is_said_in_words(scope, media_dir, monkeypatch):
    monkeypatch.setitem(media.MAX_BYTES, "video", 10_000)
    with pytest.raises(MediaError, match=r"clip\.mp4 is 13 KB: the library takes videos up to 10 KB\."):
        media.upload(scope, "clip.mp4", fixture("clip.mp4"))
    assert _rows() == [] and _files(media_dir) == []


def test_a_row_that_cannot_be_written_leaves_no_file(scope, media_dir, monkeypatch):
    def broken(row):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(media, "as_dict", broken)
    with pytest.raises(RuntimeError):
        media.upload(scope, "cover.png", picture())
    assert _rows() == [] and [p for p in media_dir.rglob("*") if p.is_file()] == []


def test_viewers_read_the_library_but_do_not_change_it(scope, media_dir):
    asset = media.upload(scope, "cover.png", picture())
    viewer = add_member(scope.workspace_id, "fan@example.com", Role.viewer)
    with pytest.raises(AccessDenied):
        media.upload(viewer, "more.png", picture(10, 10))
    with pytest.raises(AccessDenied):
        media.delete(viewer, asset["id"])
    assert [a["id"] for a in media.list_assets(viewer)] == [asset["id"]]


# ------------------------------------------------------------------ delete
def test_a_file_a_waiting_post_uses_cannot_be_deleted(scope, media_dir):
    asset = media.upload(scope, "cover.png", picture())
    post_id = _post_using(scope, asset["id"], "scheduled")
    _post_using(scope, asset["id"], "draft")
    assert media.list_assets(scope)[0]["in_use"] == 2
    with pytest.raises(MediaError, match=r"cover\.png is used by 2 posts not yet published"):
        media.delete(scope, asset["id"])
    assert len(_rows()) == 1 and len(_files(media_dir)) == 1
    with dbm.session() as s:
        for post in s.exec(select(ScheduledPost)).all():
            post.status = "published" if post.id == post_id else "cancelled"
            s.add(post)
    media.delete(scope, asset["id"])  # published and cancelled posts keep their record, not the file
    assert _rows() == [] and [p for p in media_dir.rglob("*") if p.is_file()] == []


def test_another_workspace_cannot_see_use_or_delete_an_asset(scope, media_dir):
    asset = media.upload(scope, "cover.png", picture())
    other = make_workspace("rival@example.com")[2]
    assert media.list_assets(other) == []
    with pytest.raises(MediaError, match="not in this workspace's media library"):
        media.delete(other, asset["id"])
    with pytest.raises(MediaError, match="not in this workspace's media library"):
        media.assets_for(other, [asset["id"]])
    assert media.thumbnail(other, asset["id"]) is None and media.publish_items(other.workspace_id, [asset["id"]]) == []
    # The same bytes in another workspace are that workspace's own asset and file.
    theirs = media.upload(other, "cover.png", picture())
    assert theirs["id"] != asset["id"] and len(_files(media_dir)) == 2
    media.delete(other, theirs["id"])
    assert media.assets_for(scope, [asset["id"]])[0]["id"] == asset["id"] and len(_files(media_dir)) == 1


# ------------------------------------------------------------------ links for platforms and pages
def _client() -> TestClient:
    from dreamsuite.api import create_api

    return TestClient(create_api(), base_url="http://api.test")


def test_platforms_fetch_a_signed_link_that_expires(scope, media_dir, monkeypatch):
    image = media.upload(scope, "cover.jpg", picture(800, 1000, fmt="JPEG"))
    video = media.upload(scope, "clip.mp4", fixture("clip.mp4"))
    items = media.publish_items(scope.workspace_id, [video["id"], image["id"], 999_999])
    assert [(i["id"], i["type"], i["mime"]) for i in items] == [(video["id"], "video", "video/mp4"),
                                                                (image["id"], "image", "image/jpeg")]
    assert items[1]["width"] == 800 and items[0]["duration_s"] == pytest.approx(4.0, abs=0.1)
    client = _client()
    for item, data in ((items[0], fixture("clip.mp4")), (items[1], None)):
        assert item["url"].startswith("http://api.test/media/")
        got = client.get(item["url"])
        assert got.status_code == 200 and got.headers["content-type"] == item["mime"]
        assert "sandbox" in got.headers["content-security-policy"]
        if data is not None:
            assert got.content == data
    part = client.get(items[0]["url"], headers={"Range": "bytes=0-99"})
    assert part.status_code == 206 and len(part.content) == 100
    url = items[1]["url"]
    token = url.rsplit("/", 1)[1]
    tampered = url[:-len(token)] + ("A" if token[0] != "A" else "B") + token[1:]
    assert client.get(tampered).status_code == 404
    assert client.get("http://api.test/media/not-a-token").status_code == 404
    from itsdangerous.timed import TimestampSigner

    later = time.time() + get_settings().media_url_hours * 3600 + 60
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(later))
    assert client.get(url).status_code == 404  # expired
    monkeypatch.undo()


def test_a_deleted_asset_link_is_gone(scope, media_dir):
    image = media.upload(scope, "cover.png", picture())
    [item] = media.publish_items(scope.workspace_id, [image["id"]])
    media.delete(scope, image["id"])
    assert _client().get(item["url"]).status_code == 404


def test_thumbnails_are_for_the_workspace_members_only(media_dir):
    user_id, ws_id, token = auth.create_account("nova@example.com", "password1", "Nova", "UTC")
    from dreamsuite.services.scope import Scope

    mine = media.upload(Scope(user_id, ws_id, Role.owner), "cover.png", picture(1200, 800))
    _, other_ws, other_token = auth.create_account("rival@example.com", "password1", "Rival", "UTC")
    theirs = media.upload(Scope(_, other_ws, Role.owner), "theirs.png", picture(10, 10))
    client = _client()
    assert client.get(f"/media/thumb/{mine['id']}").status_code == 401
    client.cookies.set(SESSION_COOKIE, token)
    got = client.get(f"/media/thumb/{mine['id']}")
    assert got.status_code == 200 and got.headers["content-type"] == "image/jpeg"
    from PIL import Image
    import io

    assert Image.open(io.BytesIO(got.content)).size == (480, 320)  # small, same shape
    assert client.get(f"/media/thumb/{theirs['id']}").status_code == 404
    client.cookies.set(SESSION_COOKIE, other_token)
    assert client.get(f"/media/thumb/{mine['id']}").status_code == 404


# ------------------------------------------------------------------ S3
@pytest.fixture
def s3(media_dir, monkeypatch):
    """A real S3 protocol server (moto's server mode) on a free port, and the settings pointing at it."""
    import boto3
    from moto.server import ThreadedMotoServer

    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    bucket = f"dream-media-{uuid.uuid4().hex[:8]}"  # moto keeps its buckets for the whole process
    env = {"S3_BUCKET": bucket, "S3_ENDPOINT_URL": endpoint, "S3_REGION": "eu-west-1",
           "S3_ACCESS_KEY_ID": "test-key", "S3_SECRET_ACCESS_KEY": "test-secret"}
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    get_settings.cache_clear()
    client = boto3.client("s3", endpoint_url=endpoint, region_name="eu-west-1", aws_access_key_id="test-key",
                          aws_secret_access_key="test-secret")
    client.create_bucket(Bucket=bucket, CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    try:
        yield client, bucket
    finally:
        server.stop()
        get_settings.cache_clear()


def test_the_s3_store_round_trip(scope, s3, media_dir):
    s3, bucket = s3
    data = fixture("clip.mp4")
    asset = media.upload(scope, "clip.mp4", data)
    again = media.upload(scope, "clip-again.mp4", data)
    assert again["id"] == asset["id"]
    [row] = _rows()
    assert row.storage == "s3" and row.storage_key == f"ws{scope.workspace_id}/{asset['sha256']}.mp4"
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=bucket).get("Contents", [])]
    assert keys == [row.storage_key] and _files(media_dir) == []  # nothing on local disk
    head = s3.head_object(Bucket=bucket, Key=row.storage_key)
    assert head["ContentType"] == "video/mp4" and head["ContentLength"] == len(data)
    [item] = media.publish_items(scope.workspace_id, [asset["id"]])
    assert "X-Amz-Signature=" in item["url"] and "X-Amz-Expires=21600" in item["url"]
    assert httpx.get(item["url"]).content == data  # what a platform fetches
    # A picture's thumbnail lives in the bucket too.
    image = media.upload(scope, "cover.png", picture(900, 600))
    thumb, mime = media.thumbnail(scope, image["id"])
    assert mime == "image/jpeg" and thumb[:2] == b"\xff\xd8"
    media.delete(scope, asset["id"])
    media.delete(scope, image["id"])
    assert s3.list_objects_v2(Bucket=bucket).get("KeyCount") == 0 and _rows() == []
