"""The emulated YouTube channel's comment writes: replies (comments.insert) and moderation
(comments.setModerationStatus), in the shapes and errors of Google's reference.

- comments.insert: `POST /youtube/v3/comments?part=snippet` with `{"snippet": {"parentId",
  "textOriginal"}}`, youtube.force-ssl, 50 units; the parent must be a top-level comment (a reply's
  id is operationNotSupported); answers the new comment resource. The reply is then listed under
  its thread (inline in commentThreads.list and by comments.list?parentId=).
- comments.setModerationStatus: `POST /youtube/v3/comments/setModerationStatus?id=...&
  moderationStatus=heldForReview|published|rejected`, 50 units, answered 204. Only comments on the
  channel's own videos (any other id is commentNotFound); banAuthor only with rejected. A comment
  held or rejected leaves the lists (they show published comments only), published brings it back.

A mixin of YouTubeEmulator: it uses the emulator's caller, quota and envelopes.
"""

from __future__ import annotations

import json
import secrets
from datetime import datetime
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from dreamsuite.platforms.emulators.core import ApiError
from dreamsuite.platforms.emulators.youtube_data import COMMENT, COMMENT_COST, PACIFIC, ChannelData, b64id, iso

MODERATION = ("heldForReview", "published", "rejected")
MAX_TEXT = 10_000


class CommentWrites:
    """Replies and moderation; the state lives in the emulator's store, per account."""

    # ---------------------------------------------------------------- what the writes left
    def writes_of(self, account_id: str) -> dict[str, Any]:
        """{"replies": {parent id: [comment]}, "held": {comment id}} for the account."""
        replies = self.store.get(f"youtube:replies:{account_id}", {})
        return {"replies": replies, "held": set(self.store.get(f"youtube:held:{account_id}", []))}

    def moderated(self, data: ChannelData, thread: dict, writes: dict, inline: int) -> dict | None:
        """A thread as lists show it: None when its top-level comment is held; replies made through
        the API added, held ones left out, the reply count to match."""
        tid = thread["id"]
        if tid in writes["held"]:
            return None
        replies = [r for r in (data.replies_of(tid) or []) + writes["replies"].get(tid, [])
                   if r["id"] not in writes["held"]]
        out = {**thread, "snippet": {**thread["snippet"], "totalReplyCount": len(replies)}}
        out.pop("replies", None)
        if replies and inline > 0:
            out["replies"] = {"comments": replies[:inline]}
        return out

    def replies_listed(self, data: ChannelData, parent: str, writes: dict, made: list[dict]) -> list[dict] | None:
        """comments.list?parentId=: the thread's published replies; None when there is no such thread."""
        story = data.replies_of(parent)
        if story is None and not any(t["id"] == parent for t in made):
            return None
        return [r for r in (story or []) + writes["replies"].get(parent, []) if r["id"] not in writes["held"]]

    def _known(self, data: ChannelData, writes: dict, made: list[dict]) -> dict[str, str]:
        """Every comment on the channel's videos: {comment id: video id}."""
        out: dict[str, str] = {}
        for tid, (video, _, _) in data._threads_by_id.items():
            out[tid] = video.id
            out.update({r["id"]: video.id for r in data.replies_of(tid) or []})
        out.update({t["id"]: t["snippet"]["videoId"] for t in made})
        for replies in writes["replies"].values():
            out.update({r["id"]: r["snippet"]["videoId"] for r in replies})
        return out

    # ---------------------------------------------------------------- comments.insert
    async def insert_comment(self, request: Request) -> Response:
        account = await self._user(request, COMMENT, cost=COMMENT_COST)
        parts = self._parts(request, {"id", "snippet"})
        try:
            snippet = json.loads(await request.body() or b"{}").get("snippet") or {}
            parent, text = str(snippet.get("parentId") or ""), str(snippet.get("textOriginal") or "")
        except (ValueError, AttributeError):
            raise self._bad("Parse Error") from None
        if not parent:
            raise self._bad("The comment must be linked to a parent comment: snippet.parentId is missing.",
                            "parentIdMissing")
        if not text.strip():
            raise self._bad("The comment resource must specify a value for snippet.textOriginal.",
                            "commentTextRequired")
        if len(text) > MAX_TEXT:
            raise self._bad("The value of snippet.textOriginal has too many characters.", "commentTextTooLong")
        data, made = await self.data_for(account), await self._made_threads(account.id)
        writes = await self.store.call(self.writes_of, account.id)
        known = self._known(data, writes, made)
        if parent not in known:
            return self.google_error(404, "commentNotFound", "youtube.comment", "The comment could not be found.")
        if "." in parent:  # a reply: YouTube threads are one level deep
            raise self._bad("The API user is not able to insert a comment in reply to the specified comment.",
                            "operationNotSupported")
        if parent in writes["held"]:
            raise self._bad("The specified parent comment is private. The API does not support replies to private "
                            "comments.", "parentCommentIsPrivate")
        rid = f"{parent}.{b64id('api-reply', account.id, parent, secrets.token_hex(6), n=22)}"
        now = iso(datetime.now(PACIFIC))
        comment = {"kind": "youtube#comment", "etag": b64id("etag", rid), "id": rid, "snippet": {
            "channelId": data.channel_id, "videoId": known[parent], "textDisplay": text, "textOriginal": text,
            "parentId": parent, "authorDisplayName": data.handle, "authorChannelId": {"value": data.channel_id},
            "authorChannelUrl": f"http://www.youtube.com/channel/{data.channel_id}", "canRate": True,
            "viewerRating": "none", "likeCount": 0, "publishedAt": now, "updatedAt": now}}
        await self.store.call(self._add_reply, account.id, parent, comment)
        await self.control.after_effect(request.url.path[len(request.scope.get("root_path", "")):])
        return JSONResponse(self._only(comment, parts))

    def _add_reply(self, account_id: str, parent: str, comment: dict) -> None:
        replies = self.store.get(f"youtube:replies:{account_id}", {})
        replies[parent] = [*replies.get(parent, []), comment][-1000:]
        self.store.put(f"youtube:replies:{account_id}", replies)

    async def _made_threads(self, account_id: str) -> list[dict]:
        return await self.store.call(self.store.get, f"youtube:threads:{account_id}", [])

    # ---------------------------------------------------------------- comments.setModerationStatus
    async def set_moderation(self, request: Request) -> Response:
        account = await self._user(request, COMMENT, cost=COMMENT_COST)
        q = request.query_params
        ids = [i for i in q.get("id", "").split(",") if i]
        status = q.get("moderationStatus", "")
        if not ids or not status:
            raise self._bad("Required parameters: id and moderationStatus", "missingRequiredParameter")
        if len(ids) > 50:
            raise self._bad("The request specifies more than 50 comment ids.", "invalidValue")
        if status not in MODERATION:
            raise self._bad(f"Invalid value '{status}' for moderationStatus: use {', '.join(MODERATION)}.",
                            "invalidValue")
        if q.get("banAuthor") == "true" and status != "rejected":
            raise self._bad("The banAuthor parameter can only be used if the moderationStatus parameter value is "
                            "rejected.", "banWithoutReject")
        data, made = await self.data_for(account), await self._made_threads(account.id)
        writes = await self.store.call(self.writes_of, account.id)
        if any(i not in self._known(data, writes, made) for i in ids):
            raise ApiError(self.google_error(404, "commentNotFound", "youtube.comment", "One or more comments that "
                                             "the request is trying to update cannot be found. Check the values of "
                                             "the request's id parameter to ensure that they are correct."))
        await self.store.call(self._moderate, account.id, ids, status != "published")
        return Response(status_code=204)

    def _moderate(self, account_id: str, ids: list[str], held: bool) -> None:
        found = set(self.store.get(f"youtube:held:{account_id}", []))
        found = found | set(ids) if held else found - set(ids)
        self.store.put(f"youtube:held:{account_id}", sorted(found))
