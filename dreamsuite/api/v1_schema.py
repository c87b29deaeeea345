"""The public API's bodies and answers as pydantic models, and the OpenAPI document built from
them (GET /api/v1/openapi.json). Request bodies are validated with these models; the answer models
document what the routes return (the tests check real answers against them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictInt, field_validator

from dreamsuite.services.webhooks import EVENTS

MAX_TEXT = 20000


def _zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        raise ValueError(f"unknown timezone {value!r} (use an IANA name such as Europe/Berlin)") from None
    return value


class PostIn(BaseModel):
    """A new post. `scheduled_at` with an offset is an instant; without one it is a wall-clock time
    in `timezone` (`fold` picks which of a time that happens twice when clocks go back)."""

    model_config = ConfigDict(extra="forbid")
    content: str = Field("", max_length=MAX_TEXT)
    account_ids: list[StrictInt] = Field(default_factory=list, max_length=50,
                                         description="Connected accounts to post to (GET /accounts)")
    scheduled_at: datetime | None = Field(None, description="ISO 8601; required unless draft or post_now")
    timezone: str = Field("UTC", max_length=64, description="The author's IANA timezone")
    fold: Literal[0, 1] | None = None
    variants: dict[str, str] = Field(default_factory=dict, max_length=20,
                                     description="Per-platform text replacing `content` there")
    first_comment: str = Field("", max_length=2200)
    media: list[StrictInt] = Field(default_factory=list, max_length=20, description="Media library ids")
    draft: StrictBool = False
    post_now: StrictBool = False

    _tz = field_validator("timezone")(_zone)

    @field_validator("variants")
    @classmethod
    def _variant_lengths(cls, value: dict[str, str]) -> dict[str, str]:
        if any(len(v) > MAX_TEXT for v in value.values()):
            raise ValueError(f"a variant can be at most {MAX_TEXT} characters")
        return value


class PostPatch(BaseModel):
    """Fields to change; the others keep their values. `scheduled_at: null` removes a draft's time."""

    model_config = ConfigDict(extra="forbid")
    content: str | None = Field(None, max_length=MAX_TEXT)
    account_ids: list[StrictInt] | None = Field(None, max_length=50)
    scheduled_at: datetime | None = None
    timezone: str | None = Field(None, max_length=64)
    fold: Literal[0, 1] | None = None
    variants: dict[str, str] | None = Field(None, max_length=20)
    first_comment: str | None = Field(None, max_length=2200)
    media: list[StrictInt] | None = Field(None, max_length=20)
    draft: StrictBool | None = None
    post_now: StrictBool | None = None

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str | None) -> str | None:
        return None if value is None else _zone(value)


# ------------------------------------------------------------------ answers (documentation)
class ErrorOut(BaseModel):
    error: str = Field(description="A stable code: invalid_json, invalid_body, invalid_post, missing_token, "
                                   "invalid_token, insufficient_scope, not_found, conflict, ...")
    message: str
    details: list[dict[str, Any]] = Field(default_factory=list,
                                          description="Per field: {field, message, type}")


class AccountOut(BaseModel):
    id: int
    platform: str
    username: str
    display_name: str
    status: str
    can_publish: bool
    last_synced_at: datetime | None
    last_error: str
    connected_at: datetime | None


class DestinationOut(BaseModel):
    id: int
    account_id: int
    platform: str
    status: str
    attempts: int
    error: str
    platform_post_id: str
    platform_url: str
    published_at: datetime | None


class PostOut(BaseModel):
    id: int
    status: str
    content: str
    variants: dict[str, str]
    first_comment: str
    media: list[int]
    account_ids: list[int]
    scheduled_at: datetime | None
    timezone: str
    local_time: datetime | None
    editable: bool
    created_at: datetime
    updated_at: datetime
    destinations: list[DestinationOut]


class PostList(BaseModel):
    data: list[PostOut]
    next_before: int | None = Field(description="Pass as `before` for the next page; null on the last")


class MetricDay(BaseModel):
    date: str
    platform: str
    followers: int
    follower_change: int
    engagement: int
    content_count: int


class MetricsOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)
    from_: str = Field(alias="from")
    to: str
    platform: str | None
    days: list[MetricDay]
    totals: dict[str, dict[str, int]]


class InsightOut(BaseModel):
    id: int
    type: str
    priority: str
    title: str
    message: str
    actions: list[Any]
    is_read: bool
    created_at: datetime
    expires_at: datetime


# ------------------------------------------------------------------ the document
def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _json(name: str, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref(name)}}}


def _list(name: str) -> dict:
    return {"description": "OK", "content": {"application/json": {"schema": {
        "type": "object", "properties": {"data": {"type": "array", "items": _ref(name)}}, "required": ["data"]}}}}


ERRORS = {code: _json("ErrorOut", text) for code, text in {
    "400": "The body is not JSON", "401": "Missing, unknown or revoked token",
    "403": "The token may only read", "404": "No such thing in this workspace",
    "409": "The post can no longer be changed", "422": "The body or a parameter is invalid (see details)"}.items()}
ID = {"name": "post_id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _op(summary: str, ok: dict, *, codes: tuple[str, ...] = ("401", "404"), body: str | None = None,
        params: list | None = None, status: str = "200", write: bool = False) -> dict:
    op: dict[str, Any] = {"summary": summary, "responses": {status: ok, **{c: ERRORS[c] for c in codes}},
                          "security": [{"bearer": []}]}
    if write:
        op["description"] = "Needs a token with write access."
    if body:
        op["requestBody"] = {"required": True, "content": {"application/json": {"schema": _ref(body)}}}
    if params:
        op["parameters"] = params
    return op


def _q(name: str, kind: str, description: str, **extra) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "string" if kind == "date" else kind, **({"format": "date"} if kind == "date" else {}),
                       **extra}}


def openapi() -> dict[str, Any]:
    models = [PostIn, PostPatch, ErrorOut, AccountOut, DestinationOut, PostOut, PostList, MetricDay, MetricsOut,
              InsightOut]
    schemas: dict[str, Any] = {}
    for m in models:
        schema = m.model_json_schema(ref_template="#/components/schemas/{model}", by_alias=True)
        schemas.update(schema.pop("$defs", {}))
        schemas[m.__name__] = schema
    write_codes = ("400", "401", "403", "404", "409", "422")
    return {
        "openapi": "3.1.0",
        "info": {"title": "Dream Suite API", "version": "1",
                 "description": "A workspace's accounts, posts, metrics and insights. Authenticate with "
                                "`Authorization: Bearer <token>` (tokens are created in Account settings). "
                                "Webhook events: " + ", ".join(EVENTS) + "; each POST carries a "
                                "`DreamSuite-Signature: t=<unix>,v1=<hex HMAC-SHA256 of \"t.body\">` header."},
        "servers": [{"url": "/api/v1"}],
        "components": {"schemas": schemas,
                       "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}},
        "paths": {
            "/accounts": {"get": _op("Connected accounts", _list("AccountOut"), codes=("401",))},
            "/posts": {
                "get": _op("Posts, newest first", _json("PostList"), codes=("401", "422"), params=[
                    _q("status", "string", "Only posts with this status"),
                    _q("limit", "integer", "At most this many (1-100, default 50)"),
                    _q("before", "integer", "Posts with a smaller id (the previous page's next_before)")]),
                "post": _op("Schedule a post (or save a draft)", _json("PostOut", "Created"), body="PostIn",
                            codes=("400", "401", "403", "422"), status="201", write=True)},
            "/posts/{post_id}": {
                "get": _op("One post", _json("PostOut"), params=[ID]),
                "patch": _op("Change a draft or a post not yet sent", _json("PostOut"), body="PostPatch",
                             codes=write_codes, params=[ID], write=True),
                "delete": _op("Cancel what has not gone out yet", _json("PostOut"), codes=("401", "403", "404", "409"),
                              params=[ID], write=True)},
            "/metrics": {"get": _op("Daily numbers per platform", _json("MetricsOut"), codes=("401", "422"), params=[
                _q("platform", "string", "One platform (instagram, spotify, ...)"),
                _q("from", "date", "First day (default: 29 days before `to`)"),
                _q("to", "date", "Last day (default: today in the artist's timezone)")])},
            "/insights": {"get": _op("Current insights, most urgent first", _list("InsightOut"), codes=("401",),
                                     params=[_q("include_dismissed", "boolean", "Dismissed ones too")])},
            "/openapi.json": {"get": {"summary": "This document", "security": [],
                                      "responses": {"200": {"description": "OK"}}}},
        },
    }
