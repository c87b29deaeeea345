"""Importing posts from CSV and JSON (services/post_import): the dry run names every bad row by
line and field and stores nothing; the import stores all posts in one transaction, or none, and
sends them through the publishing pipeline. Real SQLite/PostgreSQL and Redis; a workspace in New
York with accounts on several platforms, posts in other timezones and scripts."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import reflex as rx
from sqlmodel import select

from dreamsuite import db as dbmod, queue
from dreamsuite.models import PlatformConnection, PostDestination, Role, ScheduledPost
from dreamsuite.services import auth, media, post_file, post_import, publish, publish_run
from dreamsuite.services.post_import import ImportRefused
from dreamsuite.services.scope import AccessDenied, Scope
from dreamsuite.settings import get_settings
from tests.helpers import add_member, connect_sandbox, make_workspace, published_on_sandbox
from dreamsuite.state.post_import import PostImportState as S
from tests.media_files import picture
from tests.test_state import handler, tab

# Imported here, not in the tests: Reflex registers states in the context that first imports them
# (tests/test_state.py).
import dreamsuite.pages  # noqa: E402,F401

pytestmark = [pytest.mark.db, pytest.mark.usefixtures("close_arq_pools")]
NY = "America/New_York"
HEADER = "text,scheduled_at,timezone,accounts,variant:x,first_comment,media"


def conn(scope: Scope, platform: str, username: str, status: str = "active") -> int:
    with dbmod.session() as s:
        row = PlatformConnection(workspace_id=scope.workspace_id, platform=platform, username=username,
                                 platform_user_id=f"{platform}-{username}", status=status)
        s.add(row)
        s.flush()
        return row.id


@pytest.fixture
def ws(db, redis_url, tmp_path, monkeypatch):
    monkeypatch.setenv("MEDIA_DIR", str(tmp_path / "media"))
    for name in ("S3_BUCKET", "S3_ENDPOINT_URL"):
        monkeypatch.delenv(name, raising=False)
    get_settings.cache_clear()
    _, _, scope = make_workspace("lua@example.com", timezone=NY)
    ids = {"x": conn(scope, "x", "luasonora"), "facebook": conn(scope, "facebook", "Lúa Sonora"),
           "youtube": conn(scope, "youtube", "LuaSonoraTV"), "tiktok": conn(scope, "tiktok", "lua.old", "expired")}
    yield scope, ids
    get_settings.cache_clear()


def later(days: int = 12, hour: int = 9, minute: int = 30, tz: str = NY) -> datetime:
    """A wall-clock time `days` from now in `tz` (naive)."""
    day = datetime.now(ZoneInfo(tz)).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, minute)


def iso(dt: datetime) -> str:
    return dt.isoformat(timespec="minutes")


def sundays(year: int, month: int) -> list[date]:
    first = date(year, month, 1)
    return [first + timedelta(days=d) for d in range(31)
            if (first + timedelta(days=d)).month == month and (first + timedelta(days=d)).weekday() == 6]


def gap_and_overlap() -> tuple[str, str]:
    """New York's spring gap (02:30 does not exist) and autumn overlap (01:30 happens twice), next year."""
    year = datetime.now(UTC).year + 1
    return f"{sundays(year, 3)[1]}T02:30", f"{sundays(year, 11)[0]}T01:30"


def csv_bytes(*lines: str, bom: bool = False) -> bytes:
    return ("\ufeff" if bom else "").encode() + "\r\n".join(lines).encode() + b"\r\n"


def stored() -> tuple[list[ScheduledPost], list[PostDestination]]:
    with dbmod.session() as s:
        return (s.exec(select(ScheduledPost).order_by(ScheduledPost.id)).all(),
                s.exec(select(PostDestination).order_by(PostDestination.id)).all())


async def job_ids() -> set[str]:
    p = await queue.pool()
    return {k.decode() for k in await p.zrange(queue.QUEUE_NAME, 0, -1)}


def problems(report) -> list[tuple[int | None, str, str]]:
    return [(e.line, e.field, e.reason) for e in report.errors]


def has(report, line: int | None, field: str, words: str) -> bool:
    return any(e.line == line and e.field == field and words in e.reason for e in report.errors)


# ------------------------------------------------------------------ a clean file
async def test_a_clean_csv_is_checked_then_imported_with_its_jobs(ws):
    scope, ids = ws
    tokyo, ny = later(20, 21, 0, "Asia/Tokyo"), later(15, 18, 45)
    instant = later(30, 12, 0, "UTC").replace(tzinfo=UTC).astimezone(ZoneInfo("Australia/Adelaide"))
    body = csv_bytes(
        HEADER,
        f'"Nuevo sencillo «Marea» — ¡ya! 🌊\nDos líneas",{iso(ny)},,x:@LuaSonora; facebook:Lúa Sonora,'
        '"Marea, out now 🌊",Link in bio ↓,',
        f"新曲のお知らせ,{iso(tokyo)},Asia/Tokyo,x,,,",
        f"Offset time,{instant.isoformat()},Australia/Adelaide,{ids['facebook']},,,",
        ",,,,,,",  # a blank row a spreadsheet left
        bom=True)
    report = post_import.dry_run(scope, body, "posts.csv")
    assert problems(report) == [] and report.clean
    assert (report.kind, report.rows, report.ok_rows, report.posts) == ("csv", 3, 3, 3)
    assert [p["line"] for p in report.preview] == [2, 4, 5]  # the first text spans lines 2 and 3
    assert report.preview[0]["accounts"] == ["X (@luasonora)", "Facebook (@Lúa Sonora)"]
    assert stored() == ([], [])  # a dry run stores nothing

    done = await post_import.import_posts(scope, body, "posts.csv")
    posts, dests = stored()
    assert done.post_ids == [p.id for p in posts] and done.destinations == len(dests) == 4
    first, second, third = posts
    assert first.content == "Nuevo sencillo «Marea» — ¡ya! 🌊\nDos líneas" and first.timezone == NY
    assert first.scheduled_at == ny.replace(tzinfo=ZoneInfo(NY)).astimezone(UTC)
    assert first.variants == {"x": "Marea, out now 🌊"} and first.first_comment == "Link in bio ↓"
    assert first.status == "scheduled" and first.author_id == scope.user_id
    assert second.scheduled_at == tokyo.replace(tzinfo=ZoneInfo("Asia/Tokyo")).astimezone(UTC)
    assert second.timezone == "Asia/Tokyo"
    assert third.scheduled_at == instant.astimezone(UTC) and third.timezone == "Australia/Adelaide"
    assert [(d.post_id, d.connection_id, d.status) for d in dests] == [
        (first.id, ids["x"], "pending"), (first.id, ids["facebook"], "pending"),
        (second.id, ids["x"], "pending"), (third.id, ids["facebook"], "pending")]
    by_post = {p.id: p for p in posts}
    assert await job_ids() == {queue.publish_job_id(d.id, 0, by_post[d.post_id].scheduled_at) for d in dests}
    # The composer lists them like its own.
    assert {p["id"] for p in publish.list_posts(scope)} == set(done.post_ids)


# ------------------------------------------------------------------ every bad row
async def test_every_bad_row_is_reported_by_line_and_field_and_nothing_is_stored(ws):
    scope, ids = ws
    _, _, other = make_workspace("other@example.com", timezone="Europe/Oslo")
    foreign = conn(other, "x", "someone_else")
    gap, overlap = gap_and_overlap()
    ok = iso(later())
    past = iso(later(-1))
    body = csv_bytes(
        HEADER,                                                                    # 1
        f"Fine one ✓,{ok},,x:luasonora,,,",                                        # 2
        f"{'a' * 281},{ok},,x:luasonora,,,",                                       # 3 too long for X
        f"Short,{ok},,x:luasonora,{'b' * 300},,",                                  # 4 X's own text too long
        f"Late,{past},,facebook:Lúa Sonora,,,",                                    # 5 in the past
        f"Spring,{gap},,facebook:Lúa Sonora,,,",                                   # 6 the clocks skip it
        f"Autumn,{overlap},,facebook:Lúa Sonora,,,",                               # 7 it happens twice
        "Excel date,14/03/2027 09:30,,facebook:Lúa Sonora,,,",                     # 8 unreadable
        f"Mars,{ok},Mars/Olympus_Mons,facebook:Lúa Sonora,,,",                     # 9 unknown timezone
        f"Nobody,{ok},,x:@nobody_here,,,",                                         # 10 unknown account
        f"Theirs,{ok},,{foreign},,,",                                              # 11 another workspace's
        f"Old grant,{ok},,tiktok:lua.old,,,",                                      # 12 expired
        f"Text only,{ok},,youtube,,,",                                             # 13 YouTube needs a video
        f"Bad media,{ok},,facebook,,,cover.png",                                   # 14 media not ids
        f"Comment,{ok},,x,,{'c' * 281},",                                          # 15 comment too long for X
        f"Nowhere,{ok},,,,,",                                                      # 16 no account
        f"Far,{iso(later(800))},,x,,,",                                            # 17 more than two years ahead
        f"Myspace,{ok},,myspace:lua,,,",                                           # 18 not a platform
        f'"{"d" * 281}",{past},,x:luasonora;x:nobody,,,',                          # 19 three at once
    )
    report = post_import.dry_run(scope, body, "posts.csv")
    assert (report.rows, report.posts, report.ok_rows, report.clean) == (18, 18, 1, False)
    expected = [
        (3, "text", "Too long for X (@luasonora): 281 characters, the limit is 280."),
        (4, "variant:x", "Too long for X (@luasonora): 300 characters, the limit is 280."),
        (5, "scheduled_at", "That time is in the past"),
        (6, "scheduled_at", "does not exist in America/New_York: the clocks go forward then"),
        (7, "scheduled_at", "happens twice in America/New_York (the clocks go back). Write it with its offset: "
                            f"{overlap}-04:00 for the first, {overlap}-05:00 for the second."),
        (8, "scheduled_at", "'14/03/2027 09:30' cannot be read as a date and time"),
        (9, "timezone", "Unknown timezone: 'Mars/Olympus_Mons'."),
        (10, "accounts", "No X account '@nobody_here' is connected to this workspace."),
        (11, "accounts", f"No account with id {foreign} is connected to this workspace."),
        (12, "accounts", "TikTok (@lua.old) is expired: reconnect it first."),
        (13, "media", "YouTube cannot post text alone: add a video to this post."),
        (14, "media", "'media' must be media library ids"),
        (15, "first_comment", "The first comment is too long for X (@luasonora): 281 characters"),
        (16, "accounts", "Name at least one account to post to"),
        (17, "scheduled_at", "up to two years ahead"),
        (18, "accounts", "'myspace:lua' is not an account of this workspace"),
        (19, "scheduled_at", "That time is in the past"),
        (19, "accounts", "No X account 'nobody' is connected"),
        (19, "text", "Too long for X (@luasonora): 281 characters"),
    ]
    for line, field, words in expected:
        assert has(report, line, field, words), (line, field, words, problems(report))
    assert {e.line for e in report.errors} == set(range(3, 20))
    assert not any(e.field == "scheduled_at" and e.line in (8, 9) and "Pick a date" in e.reason
                   for e in report.errors)  # the composer's "pick a time" is not said twice
    assert [e.line for e in report.errors] == sorted(e.line for e in report.errors)

    jobs = await job_ids()
    with pytest.raises(ImportRefused) as refused:
        await post_import.import_posts(scope, body, "posts.csv")
    assert refused.value.message.startswith(f"Nothing was imported: {len(report.errors)} problems in the file "
                                            "(first: line 3, text: Too long for X")
    assert problems(refused.value.report) == problems(report)
    assert stored() == ([], []) and await job_ids() == jobs


async def test_a_file_that_turned_bad_since_its_dry_run_is_refused_whole(ws):
    scope, ids = ws
    body = csv_bytes("text,scheduled_at,accounts", f"Uno,{iso(later(3))},x", f"Dos,{iso(later(4))},facebook")
    assert post_import.dry_run(scope, body, "p.csv").clean
    with dbmod.session() as s:
        s.get(PlatformConnection, ids["facebook"]).status = "revoked"
    with pytest.raises(ImportRefused) as refused:
        await post_import.import_posts(scope, body, "p.csv")
    assert problems(refused.value.report) == [(3, "accounts", "Facebook (@Lúa Sonora) is revoked: reconnect it first.")]
    assert stored() == ([], [])  # not even the first, good, post


async def test_media_of_the_library_and_of_another_workspace(ws):
    scope, ids = ws
    asset = media.upload(scope, "portada.png", picture())
    _, _, other = make_workspace("other@example.com")
    theirs = media.upload(other, "secret.png", picture(color=(1, 2, 3)))
    body = csv_bytes("text,scheduled_at,accounts,media", f"Con foto,{iso(later())},x,{asset['id']}",
                     f"Their photo,{iso(later())},x,{asset['id']};{theirs['id']}")
    report = post_import.dry_run(scope, body, "p.csv")
    assert [(e.line, e.field) for e in report.errors] == [(3, "media")]
    assert "not in this workspace's media library" in report.errors[0].reason
    body = csv_bytes("text,scheduled_at,accounts,media", f"Con foto,{iso(later())},x,{asset['id']}")
    done = await post_import.import_posts(scope, body, "p.csv")
    assert stored()[0][0].media == [asset["id"]] and len(done.post_ids) == 1


async def test_a_viewer_may_not_import_an_editor_may(ws):
    scope, _ = ws
    body = csv_bytes("text,scheduled_at,accounts", f"Hola,{iso(later())},x")
    viewer = add_member(scope.workspace_id, "fan@example.com", Role.viewer)
    with pytest.raises(AccessDenied, match="needs the editor role"):
        post_import.dry_run(viewer, body, "p.csv")
    with pytest.raises(AccessDenied):
        await post_import.import_posts(viewer, body, "p.csv")
    assert stored() == ([], [])
    editor = add_member(scope.workspace_id, "manager@example.com", Role.editor)
    done = await post_import.import_posts(editor, body, "p.csv")
    assert stored()[0][0].author_id == editor.user_id and len(done.post_ids) == 1


async def test_rows_sharing_a_post_id_are_one_post(ws):
    scope, ids = ws
    when = iso(later(5))
    body = csv_bytes("post_id,text,scheduled_at,accounts,status", f"7,Juntos,{when},x,pending",
                     f"7,Juntos,{when},facebook,pending", f"8,Solo,{when},facebook,published")
    report = post_import.dry_run(scope, body, "p.csv")
    assert report.clean and (report.rows, report.posts) == (3, 2)
    bad = csv_bytes("post_id,text,scheduled_at,accounts", f"7,Juntos,{when},x", f"7,Juntas,{when},facebook")
    assert problems(post_import.dry_run(scope, bad, "p.csv")) == [
        (3, "text", "Rows of post 7 must agree on 'text': this differs from line 2.")]
    await post_import.import_posts(scope, body, "p.csv")
    posts, dests = stored()
    assert [p.content for p in posts] == ["Juntos", "Solo"]
    assert [(d.post_id, d.connection_id) for d in dests] == [
        (posts[0].id, ids["x"]), (posts[0].id, ids["facebook"]), (posts[1].id, ids["facebook"])]


async def test_an_import_goes_out_through_the_pipeline_even_with_redis_down(db, redis_url, sandbox_url,
                                                                            monkeypatch):
    _, _, scope = make_workspace("lua@example.com", timezone="America/Sao_Paulo")
    cid = await connect_sandbox(scope)

    async def redis_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    enqueue = queue.enqueue_publish
    monkeypatch.setattr(queue, "enqueue_publish", redis_down)
    due = datetime.now(ZoneInfo("America/Sao_Paulo")).replace(microsecond=0, tzinfo=None) - timedelta(seconds=20)
    body = json.dumps([{"text": "Ao vivo agora 🎸", "scheduled_at": due.isoformat(), "accounts": ["sandbox"]}])
    done = await post_import.import_posts(scope, body.encode(), "posts.json")
    [dest] = stored()[1]
    assert dest.status == "pending" and done.post_ids == [dest.post_id]
    monkeypatch.setattr(queue, "enqueue_publish", enqueue)  # Redis is back
    # The reconciler finds the due destination without a job and enqueues it; it is sent once.
    assert await publish.reconcile(now=dbmod.utcnow() + publish_run.RECONCILE_GRACE) == 1
    assert await publish.publish_destination(dest.id) == "published"
    assert [p["caption"] for p in await published_on_sandbox(sandbox_url, cid)] == ["Ao vivo agora 🎸"]


# ------------------------------------------------------------------ JSON
async def test_json_posts_with_their_problems_on_the_lines_of_their_keys(ws):
    scope, ids = ws
    gap, _ = gap_and_overlap()
    doc = {"workspace": "Lúa", "posts": [
        {"text": "Première 🎻", "scheduled_at": iso(later(9)), "timezone": "Europe/Paris",
         "accounts": [{"platform": "x", "username": "@luasonora"}, ids["facebook"]],
         "variants": {"x": "Première, court"}, "first_comment": "Merci !", "post_id": 3, "status": "scheduled",
         "destinations": []},
        {"text": "Bad", "scheduled_at": gap, "accounts": "x; nobody:here", "variants": {"myspace": "hi"},
         "colour": "red", "media": "one"},
        {"text": 42, "scheduled_at": iso(later()), "accounts": [{"connection_id": 10 ** 6}, "x"],
         "variants": {"x": "z" * 281}},
    ]}
    text = json.dumps(doc, indent=2, ensure_ascii=False)
    lines = text.splitlines()

    def line_of(needle: str, after: int = 0) -> int:
        return next(i + 1 for i, t in enumerate(lines) if i + 1 > after and needle in t)

    second, third = line_of('"text": "Bad"') - 1, line_of('"text": 42') - 1
    report = post_import.dry_run(scope, text.encode(), "export.json")
    assert (report.kind, report.rows, report.ok_rows) == ("json", 3, 1)
    assert problems(report) == sorted([
        (line_of('"scheduled_at"', second), "scheduled_at",
         f"{gap[11:]} on {int(gap[8:10])} March {gap[:4]} does not exist in America/New_York: the clocks go "
         "forward then. Pick another time."),
        (line_of('"accounts"', second), "accounts",
         "'nobody:here' is not an account of this workspace: write accounts like x:@nova or facebook:Nova Lane, "
         "several separated by ';'."),
        (line_of('"variants"', second), "variants.myspace", "'myspace' is not a platform Dream Suite knows."),
        (line_of('"colour"', second), "colour",
         "Unknown field 'colour'. The fields are: text, scheduled_at, timezone, accounts, variants, first_comment, "
         "media."),
        (line_of('"media"', second), "media", "'media' must be media library ids (numbers), separated by ';'."),
        (line_of('"text": 42'), "text", "'text' must be text, not a number."),
        (line_of('"accounts"', third), "accounts", "No account with id 1000000 is connected to this workspace."),
        (line_of('"variants"', third), "variants.x", "Too long for X (@luasonora): 281 characters, the limit is 280."),
    ], key=lambda p: p[0])
    assert report.preview[0]["timezone"] == "Europe/Paris"
    assert report.preview[0]["line"] == line_of('"text": "Première') - 1 == 4


@pytest.mark.parametrize("body,line,field,words", [
    (b"{}", 1, "file", 'an object with a "posts" list. This file holds an object without a "posts" list.'),
    (b"\n\n42", 3, "file", "This file holds a number."),
    (b'{"posts": "none"}', 1, "file", "without a \"posts\" list"),
    (b'[\n  {"text": "a",\n   "accounts": ["x"],}\n]', 3, "file", "The JSON cannot be read: Expecting property name"),
    (b'[\n  "just text"\n]', 2, "post", "Each post must be an object ({...}), not text."),
    (b"[]", None, "file", "The file has no posts in it."),
    (b'[{"text": "a", "scheduled_at": "2027-01-01T10:00", "accounts": "x", "variants": ["x"]}]', 1, "variants",
     "'variants' must be an object of texts by platform"),
    (b'[{"text": "a", "scheduled_at": "2027-01-01T10:00", "accounts": 5}]', 1, "accounts",
     "'accounts' must be a list of accounts"),
])
def test_json_shape_errors(ws, body, line, field, words):
    scope, _ = ws
    report = post_import.dry_run(scope, body, "posts.json")
    assert not report.clean and has(report, line, field, words), problems(report)


# ------------------------------------------------------------------ files that cannot be read
@pytest.mark.parametrize("body,name,line,field,words", [
    (b"", "p.csv", None, "file", "The file is empty."),
    (b" \r\n\t\n", "p.csv", None, "file", "The file is empty."),
    ("text,scheduled_at,accounts\r\nCafé,2027-01-01T10:00,x\r\n".encode("latin-1"), "p.csv", 2, "file",
     "not UTF-8 text (the first unreadable byte is on line 2). Save it as CSV UTF-8"),
    ("text,scheduled_at,accounts\n".encode("utf-16"), "p.csv", None, "file", "UTF-16"),
    (b"PK\x03\x04rest-of-a-zip", "posts.xlsx", None, "file", "a spreadsheet workbook, not a CSV file"),
    (b"%PDF-1.7", "posts.pdf", None, "file", "Only CSV and JSON files can be imported, not .pdf."),
    (b"text,scheduled_at,accounts\n", "p.csv", None, "file", "no posts in it (only its header row)."),
    (b"a\x00b", "p.csv", 1, "file", "binary data"),
    (b"text,accounts\nhi,x\n", "p.csv", 1, "scheduled_at", "The header has no 'scheduled_at' column."),
    (b"\n\ntext,scheduled_at,accounts,Colour\nhi,2027-01-01T10:00,x,red\n", "p.csv", 3, "colour",
     "Unknown column 'colour'."),
    (b"text,scheduled_at,accounts,variant:myspace\nhi,2027-01-01T10:00,x,\n", "p.csv", 1, "variant:myspace",
     "'myspace' is not a platform Dream Suite knows."),
    (b"text,text,scheduled_at,accounts\n", "p.csv", 1, "text", "The column 'text' appears twice"),
    (b"text,scheduled_at,accounts\nhi,2027-01-01T10:00,x,surprise\n", "p.csv", 2, "row",
     "This row has 4 cells but the header names 3 columns"),
])
def test_files_that_cannot_be_imported_say_why(ws, body, name, line, field, words):
    scope, _ = ws
    report = post_import.dry_run(scope, body, name)
    assert not report.clean and has(report, line, field, words), problems(report)


def test_size_and_row_caps(ws, monkeypatch):
    scope, _ = ws
    big = b"text,scheduled_at,accounts\n" + b"x" * post_file.MAX_BYTES
    assert problems(post_import.dry_run(scope, big, "p.csv")) == [
        (None, "file", "The file is 1.0 MB; at most 1 MB can be imported at once. Split it into smaller files.")]
    rows = [f"Post {i},{iso(later())},x" for i in range(post_file.MAX_ROWS + 1)]
    report = post_import.dry_run(scope, csv_bytes("text,scheduled_at,accounts", *rows), "p.csv")
    assert problems(report) == [(post_file.MAX_ROWS + 2, "file", f"The file has more than {post_file.MAX_ROWS} posts; "
                                 f"at most {post_file.MAX_ROWS} can be imported at once. Split it into smaller files.")]


def test_semicolon_csv_and_defused_cells_are_read_back(ws):
    scope, _ = ws
    body = csv_bytes("Text;Scheduled At;Accounts", f"\"'=SUM(1;2) is not a formula\";{iso(later())};\"x;facebook\"",
                     f"'-- Dash first;{iso(later())};x", f"'keep my quote;{iso(later())};x")
    report = post_import.dry_run(scope, body, "p.csv")
    assert report.clean, problems(report)
    assert [p["text"] for p in report.preview] == ["=SUM(1;2) is not a formula", "-- Dash first", "'keep my quote"]
    assert report.preview[0]["accounts"] == ["X (@luasonora)", "Facebook (@Lúa Sonora)"]


# ------------------------------------------------------------------ the calendar's import card
async def test_the_import_card_checks_then_imports_only_a_clean_file(db, redis_url):
    user_id, ws_id, token = auth.create_account("mila@example.com", "password1", "Mila Río", "America/Bogota")
    scope = Scope(user_id, ws_id, Role.owner)
    conn(scope, "x", "mila_rio")
    st = tab(S, token, "/calendar")
    await handler(S, "check_login")(st)
    assert st.exports["scheduled_csv"].endswith("/export/posts.csv?status=scheduled")

    async def drop(body: bytes, name: str) -> None:
        async for _ in handler(S, "check_file")(st, [rx.UploadFile(file=io.BytesIO(body), path=Path(name))]):
            pass

    when = iso(later(3, tz="America/Bogota"))
    await drop(csv_bytes("text,scheduled_at,accounts", f"¡Hola!,{when},x", f"Adiós,{when},x:@nadie"), "mis.csv")
    assert (st.file_name, st.ready, st.import_label) == ("mis.csv", 0, "Import (fix the file first)")
    assert [(p.line, p.field) for p in st.problems] == [("3", "accounts")]
    assert st.summary == "1 of 2 rows are ready. 1 problem to fix; nothing is imported until the file is clean."
    async for _ in handler(S, "import_now")(st):
        pass
    assert stored() == ([], [])  # nothing to import: the button was disabled, and the handler agrees

    await drop(b"\xff\xfe\x00", "x.csv")
    assert [(p.line, p.field) for p in st.problems] == [("—", "file")] and st.ready == 0

    await drop(csv_bytes("text,scheduled_at,accounts", f"¡Hola!,{when},x"), "bien.csv")
    assert st.ready == 1 and st.problems == [] and [p.accounts for p in st.preview] == ["X (@mila_rio)"]
    async for _ in handler(S, "import_now")(st):
        pass
    assert st.ok.startswith("Imported 1 post:") and st.file_name == "" and st.ready == 0
    assert [p.content for p in stored()[0]] == ["¡Hola!"]

    viewer = add_member(ws_id, "fan@example.com", Role.viewer)
    st = tab(S, auth.new_session(viewer.user_id), "/calendar")
    await handler(S, "check_login")(st)
    await drop(csv_bytes("text,scheduled_at,accounts", f"¡Hola!,{when},x"), "bien.csv")
    assert st.error == "This needs the editor role; you are viewer." and st.ready == 0 and not st.can_edit
