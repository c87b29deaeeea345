"""Where media library files live: a folder on local disk (MEDIA_DIR) by default, or an
S3-compatible bucket when S3_BUCKET is set.

A store knows keys and bytes, nothing of workspaces or posts; services/media.py names the keys
(`ws<workspace>/<sha256>.<ext>`) and keeps the rows. Every call blocks (disk or network): callers
run it off the event loop, like database work (`db.run`).
"""

from __future__ import annotations

import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Protocol

from dreamsuite.settings import get_settings

# Keys we write: a workspace folder, a name of hex digits, an extension. Nothing else is
# accepted, so a key can never climb out of the media folder.
_KEY = re.compile(r"^ws\d+/(thumbs/)?[0-9a-f]{64}\.[a-z0-9]{2,5}$")


class StoreError(Exception):
    """The store could not do what was asked (a missing file, an unreachable bucket...)."""


def check_key(key: str) -> str:
    if not _KEY.match(key or ""):
        raise StoreError(f"not a media key: {key!r}")
    return key


class MediaStore(Protocol):
    name: str  # what MediaAsset.storage records: "local" or "s3"

    def put(self, key: str, data: bytes, mime: str) -> None: ...

    def get(self, key: str) -> bytes: ...

    def exists(self, key: str) -> bool: ...

    def delete(self, key: str) -> None: ...


class LocalStore:
    name = "local"

    def __init__(self, root: str | os.PathLike[str]):
        self.root = Path(root)

    def path(self, key: str) -> Path:
        return self.root / check_key(key)

    def put(self, key: str, data: bytes, mime: str) -> None:
        path = self.path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written beside, then renamed: a reader never sees half a file.
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-")
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        try:
            return self.path(key).read_bytes()
        except FileNotFoundError:
            raise StoreError(f"{key} is not in the media folder") from None

    def exists(self, key: str) -> bool:
        return self.path(key).is_file()

    def delete(self, key: str) -> None:
        self.path(key).unlink(missing_ok=True)


class S3Store:
    name = "s3"

    def __init__(self, bucket: str, *, endpoint_url: str = "", region: str = "us-east-1",
                 access_key_id: str = "", secret_access_key: str = ""):
        import boto3
        from botocore.config import Config

        self.bucket = bucket
        self.client = boto3.client(
            "s3", endpoint_url=endpoint_url or None, region_name=region or None,
            aws_access_key_id=access_key_id or None, aws_secret_access_key=secret_access_key or None,
            # Path-style addressing works with every S3-compatible server (MinIO, R2, moto...).
            config=Config(signature_version="s3v4", s3={"addressing_style": "path"},
                          retries={"max_attempts": 3, "mode": "standard"}, connect_timeout=10, read_timeout=60),
        )

    def put(self, key: str, data: bytes, mime: str) -> None:
        self.client.put_object(Bucket=self.bucket, Key=check_key(key), Body=data,
                               ContentType=mime or "application/octet-stream")

    def get(self, key: str) -> bytes:
        from botocore.exceptions import ClientError

        try:
            return self.client.get_object(Bucket=self.bucket, Key=check_key(key))["Body"].read()
        except ClientError as exc:
            raise StoreError(f"{key} could not be read from the bucket: {exc}") from None

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=check_key(key))
            return True
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise

    def delete(self, key: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=check_key(key))

    def presigned_url(self, key: str, seconds: int) -> str:
        """A GET address anyone holding it can fetch until it expires (what a platform pulls)."""
        return self.client.generate_presigned_url("get_object", Params={"Bucket": self.bucket, "Key": check_key(key)},
                                                  ExpiresIn=seconds)


@lru_cache(maxsize=4)
def _s3(bucket: str, endpoint_url: str, region: str, access_key_id: str, secret_access_key: str) -> S3Store:
    # One client per configuration: boto3 clients are thread-safe and slow to build.
    return S3Store(bucket, endpoint_url=endpoint_url, region=region, access_key_id=access_key_id,
                   secret_access_key=secret_access_key)


def current_store() -> LocalStore | S3Store:
    """The store new uploads go to: S3 when S3_BUCKET is set, else the local folder."""
    s = get_settings()
    if s.s3_bucket:
        return _s3(s.s3_bucket, s.s3_endpoint_url, s.s3_region, s.s3_access_key_id, s.s3_secret_access_key)
    return LocalStore(s.media_dir)


def store_named(name: str) -> LocalStore | S3Store:
    """The store an existing asset was written to (its `storage` column)."""
    s = get_settings()
    if name == "s3":
        if not s.s3_bucket:
            raise StoreError("this file is in an S3 bucket, but S3_BUCKET is not set")
        return current_store()
    if name == "local":
        return LocalStore(s.media_dir)
    raise StoreError(f"unknown media store {name!r}")
