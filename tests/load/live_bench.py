"""`make bench-live`: live updates at a brand's scale (docs/performance.md).

Run from the project's root with the project's venv:

    .venv/bin/python tests/load/live_bench.py

It seeds a small database of its own on PostgreSQL (LIVE_DATABASE, livebench:
seed_demo --ideas 200) unless it holds that seed, starts LIVE_PROCESSES daphne
processes (DEBUG off, the channel layer in Redis db LIVE_REDIS_DB, 7, under a
prefix of its own), then opens LIVE_SOCKETS WebSockets (500) on one idea's page,
spread over the processes, plus LIVE_LIST_SOCKETS list pages: half show that
idea among others, half show only other ideas. It drives supports of that idea
at LIVE_RATE per second (10) for LIVE_SECONDS (20) through the voting service,
in this process (each commits, then broadcasts through the layer as a view's
would), and times each support from the service call until each socket shows
a count that includes it (median, p95, max; a page that merges changes shows
several at once). Then every socket leaves at once, and it counts what Redis still
holds: the core layer's group keys (``<prefix>:group:*``) and their members, or
the pub/sub layer's subscribed group channels.

LIVE_LAYER=core|pubsub picks the layer (CHANNEL_LAYER in settings). Every
process's stderr is kept; tracebacks and "Too many connections" are counted.
Not collected by pytest (no test_ prefix); Django is imported in main() only.
"""

# ruff: noqa: T201 - a benchmark's report is what it prints
from __future__ import annotations

import asyncio
import collections
import json
import os
import resource
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
sys.path.insert(0, str(ROOT))

from tests.load.http_bench import (  # noqa: E402
    env_float,
    env_int,
    format_table,
    percentile,
)


@dataclass
class Config:
    sockets: int = env_int("LIVE_SOCKETS", 500)
    list_sockets: int = env_int("LIVE_LIST_SOCKETS", 40)
    processes: int = env_int("LIVE_PROCESSES", 2)
    rate: float = env_float("LIVE_RATE", 10)
    seconds: float = env_float("LIVE_SECONDS", 20)
    layer: str = os.environ.get("LIVE_LAYER", "")  # the settings' default
    postgres: str = os.environ.get(
        "LIVE_POSTGRES", "postgres://postgres@127.0.0.1:5432"
    )
    database: str = os.environ.get("LIVE_DATABASE", "livebench")
    redis: str = os.environ.get("LIVE_REDIS", "redis://127.0.0.1:6379")
    redis_db: int = env_int("LIVE_REDIS_DB", 7)
    prefix: str = os.environ.get("LIVE_PREFIX", "livebench")
    port: int = env_int("LIVE_PORT", 8790)
    ideas: int = env_int("LIVE_IDEAS", 200)
    secret_key: str = "bench-only-live-5e1f0c9a7b3d2e4f6a8c0b1d3e5f7a9b1c3d5e7f9"

    @property
    def redis_url(self) -> str:
        return f"{self.redis}/{self.redis_db}"

    @property
    def marker(self) -> str:
        return f"seed_demo --ideas {self.ideas} --supports {self.ideas * 10}"

    def env(self) -> dict[str, str]:
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("DEBUG", "DJANGO"))
        }
        env.update(
            DEBUG="false",
            SECRET_KEY=self.secret_key,
            ALLOWED_HOSTS="127.0.0.1,localhost",
            DATABASE_URL=f"{self.postgres}/{self.database}",
            REDIS_URL=self.redis_url,
            CHANNELS_PREFIX=self.prefix,
            CACHE_KEY_PREFIX=self.prefix,
            RATE_LIMITS_ENABLED="false",
            STAFF_MFA="none",
            DJANGO_SETTINGS_MODULE="cocreate.settings",
        )
        if self.layer:
            env["CHANNEL_LAYER"] = self.layer
        return env


# The seed and the servers ---------------------------------------------------------
def psql(config: Config, sql: str) -> str:
    out = subprocess.run(  # noqa: S603
        ["psql", f"{config.postgres}/postgres", "-Atqc", sql],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip()


def ensure_seed(config: Config) -> None:
    query = "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE "
    query += f"datname = '{config.database}'"  # our own setting, not input
    comment = psql(config, query)
    if comment == config.marker:
        return
    env = config.env() | {"DEBUG": "true"}
    psql(config, f'DROP DATABASE IF EXISTS "{config.database}"')
    psql(config, f'CREATE DATABASE "{config.database}"')
    for cmd in (
        ["manage.py", "migrate", "--noinput", "-v0"],
        ["manage.py", *config.marker.split()],
    ):
        print("$", shlex.join(cmd), flush=True)
        subprocess.run([PYTHON, *cmd], env=env, cwd=ROOT, check=True)  # noqa: S603
    psql(config, f"COMMENT ON DATABASE \"{config.database}\" IS '{config.marker}'")


def start_servers(config: Config, logs: Path) -> list[subprocess.Popen]:
    servers = []
    for i in range(config.processes):
        port = config.port + i
        cmd = [PYTHON, "-m", "daphne", "-b", "127.0.0.1", "-p", str(port)]
        cmd += ["-v", "1", "cocreate.asgi:application"]
        log = (logs / f"daphne-{i}.log").open("w")
        servers.append(
            subprocess.Popen(  # noqa: S603
                cmd,
                env=config.env(),
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    for i in range(config.processes):
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", config.port + i), 1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    stop_servers(servers)
                    raise SystemExit("daphne did not listen within 60 s") from None
                time.sleep(0.3)
    return servers


def cpu_seconds(pid: int) -> float:
    """User and system CPU a process has used so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def stop_servers(servers: list[subprocess.Popen]) -> None:
    for server in servers:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
    for server in servers:
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


# In process: the idea, the members, the supports ---------------------------------
def setup_django(config: Config) -> None:
    os.environ.update(config.env())
    import django

    django.setup()


@dataclass
class Plan:
    idea: int
    others: list[int]  # other public ideas, for the list pages
    members: list[int]  # members who may support the idea, each once


def plan(config: Config) -> Plan:
    from django.utils import timezone

    from cocreate.demo.context import DEFAULT_SEED, Demo
    from cocreate.demo.members import seed_members
    from ideas.live import listed_everywhere
    from ideas.models import Idea, Support
    from ideas.statuses import OPEN_STATUSES

    needed = int(config.rate * config.seconds) + 10
    now = timezone.now()
    demo = Demo(seed=DEFAULT_SEED, now=now, today=now.date(), write=lambda *a: None)
    community = seed_members(demo, extra=needed + 50)
    ideas = [
        idea
        for idea in Idea.objects.filter(
            status__in=OPEN_STATUSES, campaign__isnull=True
        ).order_by("pk")
        if listed_everywhere(idea.status, idea.campaign_id)
    ]
    # The idea the fewest have supported: the most members left to support it.
    counts = collections.Counter(
        Support.objects.filter(idea__in=ideas).values_list("idea_id", flat=True)
    )
    idea = min(ideas, key=lambda i: (counts[i.pk], i.pk))
    given = set(Support.objects.filter(idea=idea).values_list("member_id", flat=True))
    members = [m.pk for m in community if m.pk not in given and m.pk != idea.author_id]
    if len(members) < needed:
        raise SystemExit(f"only {len(members)} members may still support {idea.pk}")
    others = [i.pk for i in ideas if i.pk != idea.pk][:19]
    return Plan(idea.pk, others, members[:needed])


def reset_supports(plan: Plan) -> None:
    """A run's supports are withdrawn afterwards, so the next run finds members."""
    from cocreate.members.models import User
    from ideas.models import Idea, Support
    from ideas.voting import withdraw_support

    given = Support.objects.filter(idea_id=plan.idea, member_id__in=plan.members)
    for member_id in given.values_list("member_id", flat=True):
        withdraw_support(
            member=User.objects.get(pk=member_id), idea=Idea.objects.get(pk=plan.idea)
        )


# The sockets ----------------------------------------------------------------------
@dataclass
class Socket:
    kind: str  # "idea", "list (shows it)", "list (others)"
    ws: object = None
    seen: dict[int, float] = field(default_factory=dict)  # supports -> shown when
    messages: int = 0
    stray: int = 0  # counts of ideas the page does not show
    last: int | None = None
    closed_by_server: int | None = None
    error: str = ""


@dataclass
class Run:
    sockets: list[Socket] = field(default_factory=list)
    sent: dict[int, float] = field(default_factory=dict)  # supports -> when
    open_failures: collections.Counter = field(default_factory=collections.Counter)
    support_errors: int = 0


async def listen(sock: Socket, shows: set[int], idea: int) -> None:
    import aiohttp

    async for message in sock.ws:
        if message.type != aiohttp.WSMsgType.TEXT:
            break
        now = time.time()
        data = json.loads(message.data)
        sock.messages += 1
        if data.get("type") == "idea.update":
            counts = [data]
        elif data.get("type") == "ideas.update":
            counts = data.get("ideas", [])
        else:  # the sync's answer: the count the page starts from
            for item in data.get("ideas", []):
                if item["idea"] == idea and sock.last is None:
                    sock.last = item["supports"]
            continue
        for item in counts:
            if item["idea"] not in shows:
                sock.stray += 1
            elif item["idea"] == idea:
                # Counts shown from now on: every support up to this one.
                shown = item["supports"]
                low = sock.last if sock.last is not None else shown - 1
                for k in range(low + 1, shown + 1):
                    sock.seen.setdefault(k, now)
                sock.last = max(shown, low)
    if sock.ws.close_code not in (None, 1000) and not sock.error:
        sock.closed_by_server = sock.ws.close_code


async def open_sockets(config: Config, plan: Plan, run: Run, session) -> list:
    import aiohttp

    limit = asyncio.Semaphore(50)
    listeners = []
    specs = [("idea", f"ideas/{plan.idea}/", [plan.idea])] * config.sockets
    half = config.list_sockets // 2
    specs += [("list (shows it)", "ideas/", [plan.idea, *plan.others[:19]])] * half
    specs += [("list (others)", "ideas/", plan.others)] * (config.list_sockets - half)

    async def one(n: int, kind: str, path: str, shows: list[int]) -> None:
        port = config.port + n % config.processes
        sock = Socket(kind)
        async with limit:
            try:
                sock.ws = await session.ws_connect(
                    f"ws://127.0.0.1:{port}/ws/{path}",
                    origin=f"http://127.0.0.1:{port}",
                    heartbeat=None,
                    timeout=aiohttp.ClientWSTimeout(ws_close=5),
                )
            except (aiohttp.ClientError, TimeoutError) as error:
                run.open_failures[type(error).__name__] += 1
                return
            await sock.ws.send_json({"type": "sync", "ideas": shows})
        run.sockets.append(sock)
        listeners.append(asyncio.create_task(listen(sock, set(shows), plan.idea)))

    await asyncio.gather(*(one(n, *spec) for n, spec in enumerate(specs)))
    return listeners


def drive(config: Config, plan: Plan, start: int) -> None:
    """Supports at the rate asked, one after another, each the service call a
    view makes, with its commit and its broadcast; prints each support's count
    and when it was asked for. Runs in a process of its own (``--drive``), so
    the sockets' event loop never waits on it."""
    from cocreate.members.models import User
    from ideas.models import Idea
    from ideas.voting import support

    members = list(User.objects.filter(pk__in=plan.members).order_by("pk"))
    total = int(config.rate * config.seconds)
    begun = time.perf_counter()
    for i in range(total):
        due = begun + i / config.rate
        pause = due - time.perf_counter()
        if pause > 0:
            time.sleep(pause)
        asked = time.time()
        try:
            support(member=members[i], idea=Idea.objects.get(pk=plan.idea))
        except Exception as error:  # noqa: BLE001 - counted and shown
            print(f"error {error}", flush=True)
        else:
            print(f"sent {start + i + 1} {asked}", flush=True)


async def run_driver(config: Config, plan: Plan, run: Run, start: int) -> None:
    job = json.dumps({"idea": plan.idea, "members": plan.members, "start": start})
    driver = await asyncio.create_subprocess_exec(
        PYTHON,
        __file__,
        "--drive",
        job,
        env=config.env(),
        cwd=ROOT,
        stdout=asyncio.subprocess.PIPE,
    )
    out, _ = await driver.communicate()
    for line in out.decode().splitlines():
        if line.startswith("sent "):
            _, k, when = line.split()
            run.sent[int(k)] = float(when)
        elif line.startswith("error "):
            run.support_errors += 1
            print("support failed:", line[6:], flush=True)


def leftovers(config: Config) -> tuple[int, int, int]:
    """What Redis holds once every socket left: group keys and their members
    (core layer), group channels still subscribed (pub/sub layer)."""
    import redis

    client = redis.Redis.from_url(config.redis_url)
    keys = list(client.scan_iter(f"{config.prefix}:group:*", count=1000))
    members = sum(client.zcard(key) for key in keys)
    channels = client.pubsub_channels(f"{config.prefix}__group__*")
    return len(keys), members, len(channels)


def clear_redis(config: Config) -> None:
    import redis

    client = redis.Redis.from_url(config.redis_url)
    for key in client.scan_iter(f"{config.prefix}*", count=1000):
        client.delete(key)


async def scenario(config: Config, plan: Plan, run: Run, start: int) -> dict:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=0)
    async with aiohttp.ClientSession(connector=connector) as session:
        opened = time.perf_counter()
        listeners = await open_sockets(config, plan, run, session)
        took_open = time.perf_counter() - opened
        print(f"{len(run.sockets)} sockets open in {took_open:.1f} s", flush=True)
        await asyncio.sleep(2)
        await run_driver(config, plan, run, start)
        await asyncio.sleep(3)  # stragglers
        closing = time.perf_counter()
        await asyncio.gather(
            *(s.ws.close() for s in run.sockets if not s.ws.closed),
            return_exceptions=True,
        )
        took_close = time.perf_counter() - closing
        for task in listeners:
            task.cancel()
        await asyncio.gather(*listeners, return_exceptions=True)
    await asyncio.sleep(3)  # let the servers run their disconnects
    return {"open": took_open, "close": took_close}


def count_log(logs: Path) -> tuple[int, int]:
    text = "".join(p.read_text(errors="replace") for p in logs.glob("daphne-*.log"))
    # One line per error: the exception's own, below its traceback.
    return text.count("Traceback"), text.count("MaxConnectionsError: Too many")


def main() -> None:
    config = Config()
    load = os.getloadavg()
    print(
        f"Live bench: {config.sockets} idea sockets + {config.list_sockets} list "
        f"sockets over {config.processes} daphne, {config.rate:g} supports/s for "
        f"{config.seconds:g} s; layer {config.layer or '(settings default)'}; "
        f"load {load[0]:.2f} {load[1]:.2f}",
        flush=True,
    )
    ensure_seed(config)
    setup_django(config)
    from django.conf import settings

    from ideas.models import Idea

    backend = settings.CHANNEL_LAYERS["default"]["BACKEND"].rsplit(".", 1)[-1]
    the_plan = plan(config)
    reset_supports(the_plan)
    clear_redis(config)
    start = Idea.objects.get(pk=the_plan.idea).supports_count
    logs = Path(tempfile.mkdtemp(prefix="live-bench-"))
    servers = start_servers(config, logs)
    run = Run()
    try:
        began = time.monotonic()
        times = asyncio.run(scenario(config, the_plan, run, start))
        wall = time.monotonic() - began
        cpu = [cpu_seconds(server.pid) for server in servers]
        groups, members, channels = leftovers(config)
    finally:
        stop_servers(servers)
        reset_supports(the_plan)
    tracebacks, too_many = count_log(logs)
    final = start + len(run.sent)
    rows = []
    for kind in ("idea", "list (shows it)", "list (others)"):
        socks = [s for s in run.sockets if s.kind == kind]
        if not socks:
            continue
        latencies = [
            (when - run.sent[k]) * 1000
            for s in socks
            for k, when in s.seen.items()
            if k in run.sent
        ]
        expected = len(run.sent) * len(socks) if kind != "list (others)" else 0
        rows.append(
            [
                kind,
                len(socks),
                sum(s.messages for s in socks),
                (len(latencies) / expected * 100) if expected else None,
                percentile(latencies, 50),
                percentile(latencies, 95),
                max(latencies) if latencies else None,
                sum(s.stray for s in socks),
                sum(1 for s in socks if kind != "list (others)" and s.last != final),
                sum(1 for s in socks if s.closed_by_server),
            ]
        )
    print()
    print(f"backend {backend}; idea {the_plan.idea}: {start} -> {final} supports")
    print(
        format_table(
            [
                "sockets",
                "n",
                "messages",
                "% counts seen",
                "median ms",
                "p95 ms",
                "max ms",
                "stray",
                "wrong final",
                "server closes",
            ],
            rows,
        )
    )
    closes = collections.Counter(
        s.closed_by_server for s in run.sockets if s.closed_by_server
    )
    print()
    print(
        format_table(
            [
                "open s",
                "open failures",
                "support errors",
                "close codes",
                "close-all s",
                "group keys left",
                "memberships left",
                "subscribed groups left",
                "tracebacks",
                "Too many connections",
            ],
            [
                [
                    times["open"],
                    sum(run.open_failures.values()),
                    run.support_errors,
                    " ".join(f"{c}x{n}" for c, n in sorted(closes.items())) or "none",
                    times["close"],
                    groups,
                    members,
                    channels,
                    tracebacks,
                    too_many,
                ]
            ],
        )
    )
    own = resource.getrusage(resource.RUSAGE_SELF)
    print(
        f"CPU over the {wall:.0f} s run: servers "
        + ", ".join(f"{c:.1f} s" for c in cpu)
        + f"; this client {own.ru_utime + own.ru_stime:.1f} s in all; "
        + f"load {' '.join(f'{x:.2f}' for x in os.getloadavg())}"
    )
    print(f"server logs: {logs}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--drive"]:
        job = json.loads(sys.argv[2])
        settings = Config()
        setup_django(settings)
        drive(settings, Plan(job["idea"], [], job["members"]), job["start"])
    else:
        main()
