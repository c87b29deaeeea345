"""Load on the cluster: simulated users, each a browser tab speaking Reflex's event protocol
(Engine.IO 4 / Socket.IO over one websocket, as the compiled frontend does), doing a mix of
what people do: open the dashboard (hydrate and its on_load), change its range, ask the chat a
question, type in the composer. Event round trip = the event sent → the state update that shows it
done (the dashboard's data in, the chat's answer complete, the composer's text echoed), through
HAProxy.

    DATABASE_URL=postgresql://… REDIS_URL=redis://… .venv/bin/python -m benchmarks.load \
        [--users 50,200,500] [--backends 1,2] [--seconds 30] [--port 8600] [--artists 10]
        [--only range|chat|composer|idle] [--think 5-15] [--ramp 10] [--full-hydrate]

Starts scripts/cluster.sh once per backend count (two workers each, the demo artist seeded) and
runs every user count against it in the same run. Users are spread over several artists, each
logged in as their own (the demo artist and demo-sized ones made by benchmarks.dashboard, of 2 to
5 accounts), so what one artist's tabs share does not stand for everyone's. The clients run on
the same machine as the cluster and take some of its CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import statistics
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import httpx
from wsproto import ConnectionType, WSConnection
from wsproto.events import AcceptConnection, CloseConnection, Message, Ping, Request, TextMessage

ROOT = Path(__file__).resolve().parent.parent
STATE = "reflex___state____state"
AUTH = f"{STATE}.dreamsuite___state___auth____auth_state"
DASHBOARD = f"{AUTH}.dreamsuite___state___dashboard____dashboard_state"
CHAT = f"{AUTH}.dreamsuite___state___chat____chat_state"
COMPOSER = f"{AUTH}.dreamsuite___state___composer____composer_state"
QUESTIONS = ["How did my followers grow this week?", "When should I post?", "What was my most liked post last month?",
             "Compare my platforms", "How is Instagram doing?"]
# One "think" pause between a user's actions, seconds (`--think`): by default 5–15 s, a person
# reading charts and answers who still acts 4–10 times a minute; `--think 1-3` is the heavy pace
# (some 25 actions a minute, the chat asked every ten seconds or so).
THINK = (5.0, 15.0)
RAMP_SECONDS = 10.0  # the users arrive over this many seconds (`--ramp`)
NS = "/_event"
ARTIST_PASSWORD = "benchmark-pw"  # benchmarks.dashboard.make_workspace's


class Tab:
    """One browser tab: a websocket to /_event with the session cookie, Socket.IO on top."""

    def __init__(self, base: str, cookie: str):
        self.base, self.cookie, self.token = base, cookie, str(uuid.uuid4())
        self.ws = WSConnection(ConnectionType.CLIENT)
        self.updates: asyncio.Queue[dict] = asyncio.Queue()
        self._connected = asyncio.Event()
        self._buf: list[str] = []

    async def open(self) -> None:
        parts = urlsplit(self.base)
        self.reader, self.writer = await asyncio.open_connection(parts.hostname, parts.port)
        self.writer.write(self.ws.send(Request(
            host=parts.netloc, target=f"{NS}/?token={self.token}&EIO=4&transport=websocket",
            extra_headers=[(b"cookie", self.cookie.encode()), (b"origin", self.base.encode())])))
        self._reader_task = asyncio.create_task(self._read())
        await asyncio.wait_for(self._connected.wait(), 30)

    async def close(self) -> None:
        self._reader_task.cancel()
        self.writer.close()

    def _send_text(self, text: str) -> None:
        self.writer.write(self.ws.send(Message(data=text)))

    async def emit(self, name: str, payload: dict, path: str) -> None:
        event = {"name": name, "payload": payload, "handler": None,
                 "router_data": {"pathname": path, "asPath": path, "query": {}}}
        self._send_text(f"42{NS}," + json.dumps(["event", event]))
        await self.writer.drain()

    async def _read(self) -> None:
        while data := await self.reader.read(65536):
            self.ws.receive_data(data)
            for ev in self.ws.events():
                if isinstance(ev, AcceptConnection):
                    continue
                if isinstance(ev, Ping):
                    self.writer.write(self.ws.send(ev.response()))
                elif isinstance(ev, CloseConnection):
                    return
                elif isinstance(ev, TextMessage):
                    self._buf.append(ev.data)
                    if ev.message_finished:
                        self._packet("".join(self._buf))
                        self._buf = []

    def _packet(self, text: str) -> None:
        if text.startswith("0"):  # Engine.IO open: join the namespace
            self._send_text(f"40{NS},")
        elif text == "2":  # Engine.IO ping
            self._send_text("3")
        elif text.startswith(f"40{NS}"):
            self._connected.set()
        elif text.startswith(f"42{NS},"):
            name, update = json.loads(text[len(NS) + 3:])[:2]
            if name == "event":
                self.updates.put_nowait(update)

    async def round_trip(self, name: str, payload: dict, path: str, done: tuple[str, object],
                         timeout: float = 30) -> float:
        """Seconds from sending the event to the state update that shows it done: `done` is a
        (var, value) pair, as the page would render it (the data loaded, the answer finished)."""
        while not self.updates.empty():
            self.updates.get_nowait()
        start = time.perf_counter()
        await self.emit(name, payload, path)
        var, value = done
        while True:
            update = await asyncio.wait_for(self.updates.get(), timeout)
            if any(d.get(var, not value) == value for d in update.get("delta", {}).values()):
                return time.perf_counter() - start


@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    error_kinds: dict[str, int] = field(default_factory=dict)

    def add(self, action: str, seconds: float) -> None:
        self.times.setdefault(action, []).append(seconds)

    def fail(self, exc: BaseException, stage: str) -> None:
        self.errors += 1
        kind = f"{stage}: {type(exc).__name__}"  # which step failed: the connect, or an action
        self.error_kinds[kind] = self.error_kinds.get(kind, 0) + 1

    def all(self) -> list[float]:
        return [t for ts in self.times.values() for t in ts]


def initial_hashes() -> list[str]:
    """The hashes of the compiled default state the exported pages send with their first
    hydrate (the backend then sends only what differs from them), or [] (a full snapshot)."""
    try:
        text = (ROOT / ".web" / "utils" / "context.jsx").read_text()
    except OSError:
        return []
    found = re.search(r"initialStateHashes = (\[[^\]]*\])", text)
    return json.loads(found.group(1)) if found else []


async def user(base: str, cookie: str, until: float, results: Results, rng: random.Random,
               only: str = "", think: tuple[float, float] = THINK, hashes: list[str] | None = None) -> None:
    tab = Tab(base, cookie)
    stage = "connect"
    try:
        await tab.open()
        stage = "dashboard"
        # As a browser's first connect does: with the compiled defaults' hashes.
        results.add("dashboard", await tab.round_trip(f"{STATE}.hydrate_and_load",
                                                      {"hashes": hashes} if hashes else {}, "/dashboard",
                                                      ("is_hydrated_rx_state_", True)))
        if only == "idle":  # the tab stays open on the dashboard: what open tabs cost by themselves
            await asyncio.sleep(max(0.0, until - time.monotonic()))
        while time.monotonic() < until:
            await asyncio.sleep(rng.uniform(*think))
            # `only`: one action for everyone (composer alone: what an event costs the framework
            # itself, with next to no work of ours in the handler).
            pick = {"range": 0.0, "chat": 0.6, "composer": 0.9}.get(only, rng.random())
            if pick < 0.5:
                action = ("range", DASHBOARD + ".set_preset", {"value": rng.choice(["7", "30", "90"])}, "/dashboard",
                          ("loading_rx_state_", False))
            elif pick < 0.75:
                action = ("chat", CHAT + ".ask", {"question": rng.choice(QUESTIONS)}, "/chat",
                          ("streaming_rx_state_", False))
            else:
                text = "New single out Friday " * rng.randint(1, 5)
                action = ("composer", COMPOSER + ".set_content", {"value": text}, "/composer",
                          ("content_rx_state_", text))
            stage = action[0]
            results.add(action[0], await tab.round_trip(*action[1:]))
    except (Exception, asyncio.TimeoutError) as exc:  # noqa: BLE001 - counted, the run goes on
        results.fail(exc, stage)
    finally:
        if hasattr(tab, "writer"):
            await tab.close()


def login_cookie(base: str, email: str, password: str) -> str:
    r = httpx.post(f"{base}/auth/login", data={"email": email, "password": password},
                   headers={"origin": base}, follow_redirects=False, timeout=30)
    cookie = "; ".join(f"{k}={v}" for k, v in r.cookies.items())
    if not cookie:
        raise SystemExit(f"login failed: {r.status_code} {r.headers.get('location')}")
    return cookie


async def run_level(base: str, cookies: list[str], users: int, seconds: float, only: str = "",
                    think: tuple[float, float] = THINK, ramp: float = RAMP_SECONDS,
                    hashes: list[str] | None = None) -> Results:
    results = Results()
    until = time.monotonic() + ramp + seconds
    rng = random.Random(users)
    # Users arrive over the first seconds, as they would, not in one instant; then they all work.
    tasks = []
    for i in range(users):
        cookie = cookies[i % len(cookies)]  # user i is artist i mod n: each artist has several tabs
        tasks.append(asyncio.create_task(user(base, cookie, until, results, random.Random(rng.random()), only,
                                              think, hashes)))
        await asyncio.sleep(ramp / users)
    await asyncio.gather(*tasks)
    return results


def machine_cpu() -> tuple[float, float, float]:
    """(busy, stolen, all) CPU seconds of the whole machine so far, every core (Linux /proc/stat):
    busy is what the clients, balancer, backends, workers, PostgreSQL and Redis used together;
    stolen is time the virtual machine's cores were taken by the host for others, which makes
    everything here slower at no cost of ours (it varies from run to run, so it is shown)."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    tick = os.sysconf("SC_CLK_TCK")
    idle, steal = fields[3] + fields[4], fields[7]  # idle + iowait; steal
    total = sum(fields[:8])  # guest time is already counted in user time
    return (total - idle - steal) / tick, steal / tick, total / tick


ROLES = (("backends", "reflex run"), ("workers", "arq workers"), ("postgres", "postgres"), ("redis", "redis-server"),
         ("haproxy", "haproxy"), ("clients", "benchmarks.load"))


def cpu_by_role() -> dict[str, float]:
    """CPU seconds used so far by each kind of process on the machine (threads included; a
    process that ended is not counted), from /proc/<pid>/stat."""
    tick, out = os.sysconf("SC_CLK_TCK"), dict.fromkeys([r for r, _ in ROLES] + ["other"], 0.0)
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        used = (int(fields[11]) + int(fields[12])) / tick  # utime + stime
        role = next((r for r, mark in ROLES if mark in (cmd or stat)), "other")
        out[role] += used
    return out


def pct(values: list[float], p: float) -> float:
    return statistics.quantiles(values, n=100)[int(p) - 1] * 1000 if len(values) > 1 else float("nan")


def artist_logins(base: str, artists: int) -> list[str]:
    """The demo artist's login and `artists - 1` more: demo-sized workspaces (2–5 accounts, a year
    of numbers, 300–900 posts), made once per database and found again on the next run."""
    from sqlmodel import select

    from benchmarks.dashboard import make_workspace
    from dreamsuite import db
    from dreamsuite.models import User

    platforms = ("instagram", "youtube", "spotify", "tiktok", "facebook")
    cookies = [login_cookie(base, "demo@dreamsuite.app", "dreamsuite-demo")]
    for n in range(1, artists):
        label = f"loadartist{n}"
        with db.session() as s:
            email = s.exec(select(User.email).where(User.email.like(f"{label}-%@example.com"))).first()
        if email is None:
            scope = make_workspace(label, platforms[:2 + n % 4], 365, 300 + 100 * (n % 7))
            with db.session() as s:
                email = s.exec(select(User.email).where(User.id == scope.user_id)).one()
        cookies.append(login_cookie(base, email, ARTIST_PASSWORD))
    return cookies


def start_cluster(backends: int, port: int) -> tuple[subprocess.Popen, Path]:
    logs = ROOT / "run" / f"load-{backends}"
    out = logs.with_suffix(".log")
    logs.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PORT": str(port), "APP_URL": f"http://127.0.0.1:{port}", "CLUSTER_LOGS": str(logs),
           "DREAMSUITE_DEMO": "1"}
    proc = subprocess.Popen([str(ROOT / "scripts" / "cluster.sh"), str(backends), "2"], cwd=ROOT, env=env,
                            stdout=out.open("w"), stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 600
    while "Ctrl-C stops everything" not in out.read_text():
        if proc.poll() is not None or time.monotonic() > deadline:
            raise SystemExit(f"the cluster did not start:\n{out.read_text()[-2000:]}")
        time.sleep(1)
    return proc, logs


def stop_cluster(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(60)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--users", default="50,200,500")
    ap.add_argument("--backends", default="1,2")
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--port", type=int, default=8600)
    ap.add_argument("--artists", type=int, default=10, help="artists the users are spread over")
    ap.add_argument("--only", choices=["range", "chat", "composer", "idle"], default="",
                    help="every user does this one action after opening the dashboard (default: the mix; "
                         "idle: nothing, the tab stays open)")
    ap.add_argument("--think", default=f"{THINK[0]:g}-{THINK[1]:g}",
                    help="seconds between a user's actions, LOW-HIGH (drawn evenly)")
    ap.add_argument("--full-hydrate", action="store_true",
                    help="open pages without the compiled defaults' hashes (the backend sends the whole state)")
    ap.add_argument("--ramp", type=float, default=RAMP_SECONDS, help="seconds over which the users arrive")
    args = ap.parse_args()
    low, _, high = args.think.partition("-")
    think = (float(low), float(high or low))
    if not 0 <= think[0] <= think[1]:
        ap.error("--think wants LOW-HIGH seconds, LOW <= HIGH, e.g. 1-3")
    print(f"{os.cpu_count()} cores; clients, balancer, backends, workers, PostgreSQL and Redis on one machine; "
          f"{think[0]:g}–{think[1]:g} s between a user's actions, users arriving over {args.ramp:g} s")
    print("backends | users | events | errors | p50 ms | p95 ms | p99 ms | per action p95 ms | machine busy | "
          "CPU ms per event")
    for backends in [int(b) for b in args.backends.split(",")]:
        proc, _ = start_cluster(backends, args.port)
        try:
            base = f"http://127.0.0.1:{args.port}"
            cookies = artist_logins(base, args.artists)
            hashes = [] if args.full_hydrate else initial_hashes()
            for users in [int(u) for u in args.users.split(",")]:
                busy0, stolen0, all0 = machine_cpu()
                roles0 = cpu_by_role()
                r = asyncio.run(run_level(base, cookies, users, args.seconds, args.only, think, args.ramp, hashes))
                busy, stolen, every = machine_cpu()
                roles = {k: v - roles0.get(k, 0.0) for k, v in cpu_by_role().items()}
                busy, stolen, every = busy - busy0, stolen - stolen0, every - all0
                times = r.all()
                per = ", ".join(f"{a} {pct(ts, 95):.0f}" for a, ts in sorted(r.times.items()))
                errs = f"{r.errors} {r.error_kinds}" if r.errors else "0"
                # How busy the machine was, and its CPU per event done: at a level the machine
                # cannot carry, events queue and the round trips grow with the queue.
                print(f"{backends} | {users} | {len(times)} | {errs} | {pct(times, 50):.0f} | {pct(times, 95):.0f} | "
                      f"{pct(times, 99):.0f} | {per} | {busy / every:.0%} | {busy / max(1, len(times)) * 1000:.0f}",
                      flush=True)
                # Where the machine's CPU went (seconds over the step): which part to make cheaper.
                print("    CPU s: " + ", ".join(f"{k} {v:.1f}" for k, v in roles.items()) +
                      f"; machine {busy:.1f} of {every:.1f}, stolen by the host {stolen:.1f}", flush=True)
        finally:
            stop_cluster(proc)


if __name__ == "__main__":
    main()
