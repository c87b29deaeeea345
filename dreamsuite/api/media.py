"""Media library files over HTTP.

- /media/<token>        one asset for whoever holds the signed, expiring link (a platform fetching
                        the photo of a post it publishes); anything wrong with the link is a 404
- /media/thumb/<id>     a small picture of one of the logged-in member's own assets (the library
                        grid and the composer's previews); another workspace's asset is a 404

Files the library holds are only ever pictures, videos and sounds whose type was read from
their bytes; each answer still forbids scripts and embedding (a file is never a page).
"""

from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.responses import FileResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from dreamsuite import db
from dreamsuite.api.export import login_of
from dreamsuite.services import media
from dreamsuite.services.media_store import LocalStore, StoreError, store_named
from dreamsuite.settings import get_settings

FILE_HEADERS = {"Content-Security-Policy": "default-src 'none'; sandbox", "X-Robots-Tag": "noindex"}


def _not_found() -> Response:
    return PlainTextResponse("Not found", status_code=404, headers={"Cache-Control": "no-store"})


async def signed_file(request: Request) -> Response:
    where = await db.run(media.locate, request.path_params["token"])
    if where is None:
        return _not_found()
    headers = {**FILE_HEADERS, "Cache-Control": "private, max-age=600"}
    try:
        store = store_named(where["storage"])
    except StoreError:
        return _not_found()
    if isinstance(store, LocalStore):
        path: Path = store.path(where["key"])
        if not path.is_file():
            return _not_found()
        # Streamed from disk, with ranges (platforms fetching a video may ask for parts).
        return FileResponse(path, media_type=where["mime"], headers=headers, content_disposition_type="inline")
    seconds = get_settings().media_url_hours * 3600
    url = await db.run(store.presigned_url, where["key"], seconds)
    return RedirectResponse(url, status_code=302, headers=headers)


async def thumbnail(request: Request) -> Response:
    login = await login_of(request)
    asset_id = request.path_params["asset_id"]
    if login is None:
        return PlainTextResponse("Log in first", status_code=401, headers={"Cache-Control": "no-store"})
    found = await db.run(media.thumbnail, login.scope, asset_id)
    if found is None:
        return _not_found()
    data, mime = found
    return Response(data, media_type=mime, headers={**FILE_HEADERS, "Cache-Control": "private, max-age=86400"})


routes = [
    Route("/media/thumb/{asset_id:int}", thumbnail, methods=["GET"]),
    Route("/media/{token}", signed_file, methods=["GET", "HEAD"]),
]
