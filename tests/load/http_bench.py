"""`make bench-http`: Cocreate served by granian as in production, measured page by
page beside a hello-world view on the same server (docs/performance.md).

Run from the project's root with the project's venv:

    .venv/bin/python tests/load/http_bench.py

It seeds the benchmark database on PostgreSQL when it does not hold the size asked
(BENCH_IDEAS, BENCH_SUPPORTS), starts granian (WSGI, BENCH_WORKERS workers, DEBUG
off, Redis cache), counts each page's queries in process with the test client,
then drives each page for BENCH_SECONDS with BENCH_CONCURRENCY connections (an
aiohttp client, closed loop) for its throughput, then at BENCH_PACED_RATE
requests a second (open loop) for its latency at a steady load, anonymous and
signed in. Then a write run: supports
through HTTP at BENCH_WRITE_RATE per second for BENCH_WRITE_SECONDS from
BENCH_WRITE_MEMBERS members (open loop: requests leave on schedule whatever the
server does), followed by the support recount and the rewards audit.

BENCH_ONLY runs some of the parts alone, comma-separated: ``pages`` (the in-process
counts and the load run of each page) or ``writes`` (the write run and its audit),
e.g. ``BENCH_ONLY=writes`` to repeat the write run without the pages (after
two unmeasured seconds of an idea page, so that it meets a warm server); empty or
unset runs both.

Each run keeps its in-process times in BENCH_RESULTS (one JSON file per size);
when a run of another size is there, it prints both side by side and fails
(exit 1) if a page at the larger size costs more than SCALE_TOLERANCE (20 %) over
the smaller: a page's cost must not grow with the tables.

The pure helpers (percentile, format_table) are tested in the default run
(tests/site/test_http_bench.py); this module imports Django only in main().
"""

# ruff: noqa: T201 - a benchmark's report is what it prints
from __future__ import annotations

import asyncio
import dataclasses
import json
import math
import os
import random
import secrets
import shlex
import signal
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable


# Pure helpers ---------------------------------------------------------------------
def percentile(values: Sequence[float], p: float) -> float:
    """The p-th percentile (0-100) by linear interpolation between closest ranks,
    as numpy's default; NaN for no values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = (len(ordered) - 1) * p / 100
    low = math.floor(rank)
    high = math.ceil(rank)
    if low == high:
        return ordered[low]
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table, numbers right-aligned, each column as wide as its widest
    cell, so it reads in a terminal and pastes into a report."""
    cells = [[_cell(value) for value in row] for row in rows]
    widths = [
        max([len(header), *(len(row[i]) for row in cells)])
        for i, header in enumerate(headers)
    ]
    numeric = [
        all(_is_number(row[i]) for row in rows) and bool(rows)
        for i in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        padded = [
            value.rjust(width) if right else value.ljust(width)
            for value, width, right in zip(values, widths, numeric, strict=True)
        ]
        return "| " + " | ".join(padded) + " |"

    rule = (
        "|"
        + "|".join(
            ("-" * (width + 1) + ":") if right else ("-" * (width + 2))
            for width, right in zip(widths, numeric, strict=True)
        )
        + "|"
    )
    return "\n".join([line(list(headers)), rule, *(line(row) for row in cells)])


def _is_number(value: object) -> bool:
    return value is None or (
        isinstance(value, int | float) and not isinstance(value, bool)
    )


def _cell(value: object) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if math.isnan(value):
            return "-"
        if value >= 100:
            return f"{value:,.0f}"
        if value >= 10:
            return f"{value:.1f}"
        return f"{value:.2f}"
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


#: Seconds of an idea page, unmeasured, before a write run that runs alone.
WARM_UP_SECONDS = 2.0

#: The parts BENCH_ONLY may name, in the order a run takes them.
PARTS = ("pages", "writes")


def parse_parts(value: str) -> tuple[str, ...]:
    """The parts to run from BENCH_ONLY (comma-separated, any case): all of them
    when empty; an unknown name stops the run before it starts."""
    names = {name.strip().lower() for name in value.split(",") if name.strip()}
    unknown = sorted(names - set(PARTS))
    if unknown:
        raise SystemExit(
            f"BENCH_ONLY: unknown part(s) {', '.join(unknown)}; "
            f"choose among {', '.join(PARTS)}"
        )
    return tuple(part for part in PARTS if part in names) if names else PARTS


def ratio(value: float, reference: float) -> float:
    """A page's req/s as a percentage of hello's."""
    return 100 * value / reference if reference else math.nan


#: How much more a page may cost at the larger of two sizes (in-process median).
SCALE_TOLERANCE = 0.20


def compare_sizes(
    small: dict[str, float], large: dict[str, float]
) -> tuple[list[list[object]], list[str]]:
    """Rows (page, ms at each size, ratio) for the pages both runs measured, and
    the pages whose cost grew beyond SCALE_TOLERANCE."""
    rows: list[list[object]] = []
    grown = []
    for name, before in small.items():
        if name not in large:
            continue
        after = large[name]
        ratio_ = after / before if before else math.inf
        rows.append([name, before, after, ratio_])
        if ratio_ > 1 + SCALE_TOLERANCE:
            grown.append(name)
    return rows, grown


@dataclass
class Sample:
    """What one page's load run measured."""

    latencies: list[float] = field(default_factory=list)  # seconds, answered ones
    errors: int = 0  # an answer that is not the expected status
    statuses: dict[int, int] = field(default_factory=dict)  # of the errors
    timeouts: int = 0
    elapsed: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed if self.elapsed else 0.0

    def ms(self, p: float) -> float:
        return percentile(self.latencies, p) * 1000


# Configuration ----------------------------------------------------------------------
def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


def env_float(name: str, default: float) -> float:
    return float(os.environ.get(name) or default)


@dataclass
class Config:
    ideas: int = env_int("BENCH_IDEAS", 100_000)
    supports: int = env_int("BENCH_SUPPORTS", 1_000_000)
    postgres: str = os.environ.get(
        "BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"
    )
    database: str = os.environ.get("BENCH_DATABASE", "cocreate_bench")
    redis_url: str = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
    port: int = env_int("BENCH_PORT", 8777)
    workers: int = env_int("BENCH_WORKERS", 2)
    seconds: float = env_float("BENCH_SECONDS", 5)
    concurrency: int = env_int("BENCH_CONCURRENCY", 32)
    #: The steady load at which each page's latency is read (open loop).
    paced_rate: float = env_float("BENCH_PACED_RATE", 50)
    paced_seconds: float = env_float("BENCH_PACED_SECONDS", 4)
    timeout: float = env_float("BENCH_TIMEOUT", 10)
    write_rate: float = env_float("BENCH_WRITE_RATE", 200)
    write_seconds: float = env_float("BENCH_WRITE_SECONDS", 10)
    write_members: int = env_int("BENCH_WRITE_MEMBERS", 50)
    media: str = os.environ.get("BENCH_MEDIA", "/tmp/cocreate-bench-media")  # noqa: S108
    static: str = os.environ.get("BENCH_STATIC", "/tmp/cocreate-bench-static")  # noqa: S108
    #: Fixed, so the seed and the server agree (the IBANs are encrypted with a
    #: key derived from it): a bench database's key, never a site's.
    secret_key: str = os.environ.get(
        "BENCH_SECRET_KEY",
        "bench-only-3f9c1a7e5b2d4c6e8a0f1b3d5c7e9a1b3d5f7a9c1e3b5d7f9",
    )
    #: granian's options as docs/deploy.md runs it (BENCH_WORKERS workers).
    granian_args: str = os.environ.get(
        "BENCH_GRANIAN_ARGS",
        "--blocking-threads 8 --backpressure 16 --respawn-failed-workers",
    )
    pool_size: str = os.environ.get("BENCH_DB_POOL_MAX_SIZE", "8")
    #: Where each size's in-process times are kept, to compare sizes.
    results: str = os.environ.get("BENCH_RESULTS", "/tmp/cocreate-bench-results")  # noqa: S108
    #: Counted requests per page in process (their median is the page's cost).
    repeats: int = env_int("BENCH_REPEATS", 7)
    #: The parts to run (BENCH_ONLY): "pages", "writes" or both.
    parts: tuple[str, ...] = field(
        default_factory=lambda: parse_parts(os.environ.get("BENCH_ONLY", ""))
    )

    @property
    def database_url(self) -> str:
        return f"{self.postgres}/{self.database}"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def marker(self) -> str:
        return f"seed_demo --ideas {self.ideas} --supports {self.supports}"

    def server_env(self) -> dict[str, str]:
        """Production's settings (DEBUG off, a real SECRET_KEY, Redis), plus the
        hello view; rate limits off, since the run measures cost, not limits."""
        env = {
            k: v for k, v in os.environ.items() if not k.startswith(("DEBUG", "DJANGO"))
        }
        env.update(
            DEBUG="false",
            SECRET_KEY=self.secret_key,
            ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            MEDIA_ROOT=f"{self.media}/public",
            PRIVATE_MEDIA_ROOT=f"{self.media}/private",
            STATIC_ROOT=self.static,
            COCREATE_BENCH_HELLO="true",
            RATE_LIMITS_ENABLED="false",
            DB_POOL_MAX_SIZE=self.pool_size,
            STAFF_MFA="none",
            DJANGO_SETTINGS_MODULE="cocreate.settings",
        )
        return env


# The seed ---------------------------------------------------------------------------
def run(cmd: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    print("$", shlex.join(cmd), flush=True)
    return subprocess.run(cmd, env=env, cwd=ROOT, check=True, **kwargs)  # noqa: S603


def psql(config: Config, sql: str, database: str = "postgres") -> str:
    out = subprocess.run(  # noqa: S603
        ["psql", f"{config.postgres}/{database}", "-Atqc", sql],  # noqa: S607
        capture_output=True,
        text=True,
        check=False,
    )
    return out.stdout.strip()


def ensure_seed(config: Config) -> None:
    """Seed the benchmark database unless it already holds this size (its
    COMMENT records the seed command)."""
    query = "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE "
    query += f"datname = '{config.database}'"  # our own setting, not input
    comment = psql(config, query)
    env = config.server_env() | {"DEBUG": "true"}
    if comment == config.marker:
        print(f"{config.database} holds `{config.marker}`: not seeded again.")
        # Seeded before a newer migration: the server needs today's schema.
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        return
    psql(config, f'DROP DATABASE IF EXISTS "{config.database}"')
    psql(config, f'CREATE DATABASE "{config.database}"')
    run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
    started = time.monotonic()
    run(
        [
            "/usr/bin/time",
            "-f",
            "seed: %e s, peak memory %M KB",
            PYTHON,
            "manage.py",
            "seed_demo",
            "--ideas",
            str(config.ideas),
            "--supports",
            str(config.supports),
        ],
        env,
    )
    print(f"Seeded in {time.monotonic() - started:.0f} s.")
    psql(config, f"COMMENT ON DATABASE \"{config.database}\" IS '{config.marker}'")


def ensure_static(config: Config) -> None:
    """DEBUG off serves hashed, compressed static files (whitenoise's manifest)."""
    if not (Path(config.static) / "staticfiles.json").exists():
        run(
            [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"],
            config.server_env(),
        )


# The server -------------------------------------------------------------------------
def start_server(config: Config) -> subprocess.Popen:
    # Through this interpreter: a venv's copied scripts may name another one.
    cmd = [
        PYTHON,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--workers",
        str(config.workers),
        "--host",
        "127.0.0.1",
        "--port",
        str(config.port),
        "--no-ws",
        *shlex.split(config.granian_args),
        "--log-level",
        "warning",
        "cocreate.wsgi:application",
    ]
    print("$", shlex.join(cmd), flush=True)
    server = subprocess.Popen(  # noqa: S603
        cmd, env=config.server_env(), cwd=ROOT, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(  # noqa: S310
                urllib.request.Request(  # noqa: S310
                    f"{config.base}/bench/hello",
                    headers={"X-Forwarded-Proto": "https"},
                ),
                timeout=2,
            ) as answer:
                if answer.status == 200:
                    return server
        except OSError:
            time.sleep(0.5)
    stop_server(server)
    raise SystemExit("granian did not answer /bench/hello within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


# In process: the pages, the members and the query counts --------------------------
@dataclass
class Page:
    name: str
    path: str
    api: bool = False


@dataclass
class Plan:
    pages: list[Page]
    session: str  # the signed-in member's session cookie
    token: str  # an API token
    writers: list[tuple[str, list[int]]]  # a session and ideas it may support
    writer_ids: list[int]


def setup_django(config: Config) -> None:
    os.environ.update(config.server_env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def plan_pages(config: Config) -> Plan:
    from django.test import Client
    from wagtail.models import APIToken

    from cocreate.members.models import User
    from cocreate.pages.models import ContentPage, HomePage
    from ideas.models import CampaignPage, Idea
    from ideas.ranking import SORTS

    member = User.objects.get(email="member@example.com")
    client = Client()
    client.force_login(member)
    session = client.cookies["sessionid"].value
    owner, _created = User.objects.get_or_create(
        email="bench-api@example.com",
        defaults={"display_name": "Bench API", "is_superuser": True},
    )
    _token, token = APIToken.create_token(user=owner, name="bench")
    charter = ContentPage.objects.live().filter(slug="charter").first()
    content = charter or ContentPage.objects.live().first()
    home = HomePage.objects.first()
    campaign = CampaignPage.objects.live().public().order_by("pk").first()
    idea = Idea.objects.public().order_by("-supports_count", "pk").first()
    pages = [
        Page("hello", "/bench/hello"),
        Page(f"content page ({content.slug})", content.url),
        Page("home", home.url),
        *(Page(f"/ideas/?sort={sort}", f"/ideas/?sort={sort}") for sort in SORTS),
        Page("/ideas/?page=200", "/ideas/?page=200"),
        Page("search /ideas/?q=repair", "/ideas/?q=repair"),
        Page(f"campaign ({campaign.slug})", campaign.url),
        Page("idea page", idea.get_absolute_url()),
        Page("API /api/v1/ideas", "/api/v1/ideas", api=True),
    ]
    writers, writer_ids = plan_writers(config)
    return Plan(pages, session, token, writers, writer_ids)


def plan_writers(config: Config) -> tuple[list[tuple[str, list[int]]], list[int]]:
    """Members of the community who have supported least, each with the open
    ideas it has not supported yet: every POST of the write run is a new support."""
    from django.db.models import Count
    from django.test import Client

    from cocreate.demo.context import DEFAULT_SEED, Demo
    from cocreate.demo.members import seed_consents, seed_members
    from cocreate.members.models import User
    from ideas.models import Idea, Support
    from ideas.statuses import OPEN_STATUSES

    planned = config.write_rate * config.write_seconds
    per_member = math.ceil(planned / config.write_members) + 5
    demo = Demo(seed=DEFAULT_SEED, now=_now(), today=_now().date(), write=print)
    community = seed_members(demo, extra=config.write_members)
    seed_consents(community)
    members = list(
        User.objects.filter(pk__in=[m.pk for m in community])
        .annotate(given=Count("supports"))
        .order_by("given", "pk")[: config.write_members]
    )
    # Open ideas outside campaigns (always open to supports), newest first.
    candidates = list(
        Idea.objects.filter(status__in=OPEN_STATUSES, campaign__isnull=True)
        .order_by("-pk")
        .values_list("pk", "author_id")[: per_member * 20 + 1000]
    )
    writers = []
    for member in members:
        supported = set(
            Support.objects.filter(
                member=member, idea_id__in=[pk for pk, _ in candidates]
            ).values_list("idea_id", flat=True)
        )
        ideas = [
            pk
            for pk, author in candidates
            if author != member.pk and pk not in supported
        ]
        random.Random(member.pk).shuffle(ideas)
        client = Client()
        client.force_login(member)
        writers.append((client.cookies["sessionid"].value, ideas[:per_member]))
    return writers, [member.pk for member in members]


def _now():
    from django.utils import timezone

    return timezone.now()


def count_queries(plan: Plan, repeats: int) -> dict[tuple[str, str], tuple[int, float]]:
    """Each page's queries and in-process cost: the median time of ``repeats``
    warm requests through the test client, anonymous and signed in, with the page
    cache off (a page's own cost; a cache hit costs the same at any size)."""
    from django.db import connection
    from django.test import Client, override_settings
    from django.test.utils import CaptureQueriesContext

    result = {}
    with override_settings(COCREATE_PAGE_CACHE_SECONDS=0):
        for who in ("anonymous", "member"):
            client = Client()
            if who == "member":
                client.cookies["sessionid"] = plan.session
            for page in plan.pages:
                headers = (
                    {"HTTP_AUTHORIZATION": f"Bearer {plan.token}"} if page.api else {}
                )
                client.get(page.path, secure=True, **headers)
                times = []
                for _ in range(repeats):
                    with CaptureQueriesContext(connection) as queries:
                        started = time.perf_counter()
                        client.get(page.path, secure=True, **headers)
                        times.append((time.perf_counter() - started) * 1000)
                result[(page.name, who)] = (len(queries), statistics.median(times))
    return result


def keep_and_compare(
    config: Config, queries: dict[tuple[str, str], tuple[int, float]]
) -> bool:
    """Keep this size's in-process times and compare them with another size's
    run, if one was kept; False when a page's cost grew with the tables."""
    folder = Path(config.results)
    folder.mkdir(parents=True, exist_ok=True)
    mine = {f"{name} ({who})": ms for (name, who), (_, ms) in queries.items()}
    (folder / f"{config.ideas}.json").write_text(json.dumps(mine, indent=1))
    others = sorted(
        int(path.stem)
        for path in folder.glob("*.json")
        if path.stem.isdigit() and int(path.stem) != config.ideas
    )
    if not others:
        print(f"No other size in {folder} to compare with.")
        return True
    other = others[-1] if others[-1] < config.ideas else others[0]
    theirs = json.loads((folder / f"{other}.json").read_text())
    small, large = (theirs, mine) if other < config.ideas else (mine, theirs)
    rows, grown = compare_sizes(small, large)
    sizes = sorted((other, config.ideas))
    print()
    print(
        f"In-process cost at {sizes[0]:,} and {sizes[1]:,} ideas "
        f"(median of {config.repeats}; at most {SCALE_TOLERANCE:.0%} more):"
    )
    print(
        format_table(
            ["page", f"ms at {sizes[0]:,}", f"ms at {sizes[1]:,}", "ratio"], rows
        )
    )
    for name in grown:
        print(f"GREW WITH THE TABLES: {name}")
    return not grown


# Load ---------------------------------------------------------------------------------
HTTPS = {"X-Forwarded-Proto": "https"}


def cookie_header(cookies: dict[str, str]) -> dict[str, str]:
    """Cookies as a header: aiohttp's jar keeps none for an IP address."""
    if not cookies:
        return {}
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}


def page_session(config: Config, headers: dict[str, str], cookies: dict[str, str]):
    """A client session for one page's run: the page's headers and cookies on
    every request, nothing kept from the answers."""
    import aiohttp

    return aiohttp.ClientSession(
        base_url=config.base,
        headers=HTTPS | headers | cookie_header(cookies),
        cookie_jar=aiohttp.DummyCookieJar(),
        timeout=aiohttp.ClientTimeout(total=config.timeout),
        connector=aiohttp.TCPConnector(limit=0),
    )


async def timed_get(session, path: str, sample: Sample | None) -> None:
    """One GET, its latency recorded in ``sample`` (None: a warm-up request)."""
    import aiohttp

    started = time.perf_counter()
    try:
        async with session.get(path, allow_redirects=False) as answer:
            await answer.read()
            ok = answer.status == 200
    except TimeoutError:
        if sample is not None:
            sample.timeouts += 1
        return
    except aiohttp.ClientError:
        ok = False
    if sample is None:
        return
    if ok:
        sample.latencies.append(time.perf_counter() - started)
    else:
        sample.errors += 1


async def drive_page(
    config: Config, path: str, headers: dict[str, str], cookies: dict[str, str]
) -> Sample:
    """BENCH_CONCURRENCY connections asking for the page back to back for
    BENCH_SECONDS (after a one-second warm-up): the throughput."""
    sample = Sample()
    async with page_session(config, headers, cookies) as session:

        async def worker(until: float, record: Sample | None) -> None:
            while time.perf_counter() < until:
                await timed_get(session, path, record)

        connections = range(config.concurrency)
        warm = time.perf_counter() + 1
        await asyncio.gather(*(worker(warm, None) for _ in connections))
        started = time.perf_counter()
        until = started + config.seconds
        await asyncio.gather(*(worker(until, sample) for _ in connections))
        sample.elapsed = time.perf_counter() - started
    return sample


async def pace_page(
    config: Config, path: str, headers: dict[str, str], cookies: dict[str, str]
) -> Sample:
    """BENCH_PACED_RATE requests a second for BENCH_PACED_SECONDS, open loop
    (each leaves on schedule whatever the server does): the latency a visitor
    sees at a steady load, which a saturating run cannot tell."""
    sample = Sample()
    total = int(config.paced_rate * config.paced_seconds)
    async with page_session(config, headers, cookies) as session:
        tasks = []
        started = time.perf_counter()
        for i in range(total):
            delay = started + i / config.paced_rate - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(timed_get(session, path, sample)))
        await asyncio.gather(*tasks)
        sample.elapsed = time.perf_counter() - started
    return sample


async def write_run(config: Config, plan: Plan) -> tuple[Sample, int, float]:
    """Supports at BENCH_WRITE_RATE per second, open loop, round robin over the
    members; returns the sample, the requests sent and the time they took."""
    import aiohttp

    sample = Sample()
    total = int(config.write_rate * config.write_seconds)
    timeout = aiohttp.ClientTimeout(total=config.timeout)
    csrf = secrets.token_hex(16)  # a 32-character secret, accepted as the token
    sessions = []
    for cookie, _ideas in plan.writers:
        sessions.append(
            aiohttp.ClientSession(
                base_url=config.base,
                headers=HTTPS
                | {
                    "X-CSRFToken": csrf,
                    "Origin": f"https://127.0.0.1:{config.port}",
                    "Referer": f"https://127.0.0.1:{config.port}/ideas/",
                    "HX-Request": "true",
                }
                | cookie_header({"sessionid": cookie, "csrftoken": csrf}),
                cookie_jar=aiohttp.DummyCookieJar(),
                timeout=timeout,
                connector=aiohttp.TCPConnector(limit=0),
            )
        )
    queues = [list(ideas) for _cookie, ideas in plan.writers]

    async def one(session: aiohttp.ClientSession, idea: int) -> None:
        started = time.perf_counter()
        try:
            async with session.post(
                f"/ideas/{idea}/support/",
                data={"action": "support"},
                # As nginx stamps it (docs/deploy.md): a write that waited too
                # long in the server's queue is refused at once, not run late.
                headers={"X-Request-Start": f"t={time.time():.3f}"},
                allow_redirects=False,
            ) as answer:
                await answer.read()
                status = answer.status
        except TimeoutError:
            sample.timeouts += 1
            return
        except aiohttp.ClientError:
            status = 0
        if status == 200:
            sample.latencies.append(time.perf_counter() - started)
        else:
            sample.errors += 1
            sample.statuses[status] = sample.statuses.get(status, 0) + 1

    tasks = []
    started = time.perf_counter()
    for i in range(total):
        due = started + i / config.write_rate
        delay = due - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        member = i % len(sessions)
        if not queues[member]:
            continue
        tasks.append(asyncio.create_task(one(sessions[member], queues[member].pop())))
    await asyncio.gather(*tasks)
    sample.elapsed = time.perf_counter() - started
    for session in sessions:
        await session.close()
    return sample, len(tasks), sample.elapsed


def check_after_writes(plan: Plan, before: int) -> list[str]:
    """The writes' aftermath: supports stored, counters recounted, rewards audited."""
    from django.db.models import Sum

    from ideas.counters import recount_ideas
    from ideas.models import Idea, Support
    from rewards.audit import run_audit

    stored = Support.objects.filter(member_id__in=plan.writer_ids).count() - before
    counted = Idea.objects.aggregate(n=Sum("supports_count"))["n"]
    rows = Support.objects.count()
    fixed = recount_ideas()
    report = run_audit()
    lines = [
        f"supports stored by the write run: {stored}",
        f"sum of supports_count {counted}, Support rows {rows}: "
        + ("equal" if counted == rows else "DIFFERENT"),
        f"recount_ideas: {fixed} ideas had a wrong counter",
        f"rewards audit: {report.summary()} "
        + ("(clean)" if report.clean else "(NOT CLEAN)"),
    ]
    lines += [f"  {d}" for d in report.discrepancies[:10]]
    return lines


def supports_by(ids: list[int]) -> int:
    from ideas.models import Support

    return Support.objects.filter(member_id__in=ids).count()


# The run ------------------------------------------------------------------------------
def main() -> None:
    config = Config()
    print(
        f"Benchmark: {config.marker} on {config.database}, granian {config.workers} "
        f"workers, {config.concurrency} connections x {config.seconds:g} s a page; "
        f"parts: {', '.join(config.parts)}; "
        f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}",
        flush=True,
    )
    ensure_seed(config)
    ensure_static(config)
    setup_django(config)
    plan = plan_pages(config)
    constant = True
    if "pages" in config.parts:
        queries = count_queries(plan, config.repeats)
        constant = keep_and_compare(config, queries)
    server = start_server(config)
    writes = None
    try:
        if "pages" in config.parts:
            drive_pages(config, plan, queries)
        if "writes" in config.parts:
            if "pages" not in config.parts:
                warm_up(config, plan)
            before = supports_by(plan.writer_ids)
            writes = asyncio.run(write_run(config, plan))
    finally:
        stop_server(server)
    if writes is not None:
        report_writes(config, plan, before, *writes)
    print(f"load after: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    if not constant:
        sys.exit(1)


def warm_up(config: Config, plan: Plan) -> None:
    """Without the pages' runs first, a fresh server would meet the write run
    cold (its pool's connections, templates, caches): an idea page, signed in,
    for WARM_UP_SECONDS, not measured."""
    idea = next(page for page in plan.pages if page.name == "idea page")
    warm = dataclasses.replace(config, seconds=WARM_UP_SECONDS)
    asyncio.run(drive_page(warm, idea.path, {}, {"sessionid": plan.session}))


def drive_pages(
    config: Config, plan: Plan, queries: dict[tuple[str, str], tuple[int, float]]
) -> None:
    """Each page under load, anonymous and signed in, then the table."""
    rows = []
    hello = None
    for page in plan.pages:
        for who in ("anonymous", "member"):
            headers = {"Authorization": f"Bearer {plan.token}"} if page.api else {}
            cookies = {"sessionid": plan.session} if who == "member" else {}
            sample = asyncio.run(drive_page(config, page.path, headers, cookies))
            paced = asyncio.run(pace_page(config, page.path, headers, cookies))
            if hello is None:
                hello = sample.rate
            count, in_process = queries[(page.name, who)]
            rows.append(
                [
                    page.name,
                    who,
                    count,
                    in_process,
                    sample.rate,
                    sample.ms(50),
                    sample.ms(95),
                    sample.ms(99),
                    sample.errors + sample.timeouts,
                    ratio(sample.rate, hello),
                    paced.ms(50),
                    paced.ms(95),
                    paced.errors + paced.timeouts,
                ]
            )
            print(f"  {page.name} ({who}): {sample.rate:.1f} req/s", flush=True)
    print()
    print(
        format_table(
            [
                "page",
                "who",
                "queries",
                "in-process ms",
                "req/s",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "errors",
                "% of hello",
                f"p50 ms @{config.paced_rate:g}/s",
                f"p95 ms @{config.paced_rate:g}/s",
                f"errors @{config.paced_rate:g}/s",
            ],
            rows,
        )
    )


def report_writes(
    config: Config, plan: Plan, before: int, sample: Sample, sent: int, elapsed: float
) -> None:
    """The write run's table, its refusals by status and its audit."""
    print()
    print(
        f"Write run: target {config.write_rate:g} supports/s for "
        f"{config.write_seconds:g} s from {len(plan.writers)} members"
    )
    print(
        format_table(
            [
                "sent",
                "ok",
                "achieved /s",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "errors",
                "timeouts",
            ],
            [
                [
                    sent,
                    len(sample.latencies),
                    len(sample.latencies) / elapsed if elapsed else 0.0,
                    sample.ms(50),
                    sample.ms(95),
                    sample.ms(99),
                    sample.errors,
                    sample.timeouts,
                ]
            ],
        )
    )
    if sample.statuses:
        print(
            "errors by status (0: connection failed): "
            + ", ".join(f"{k}: {v}" for k, v in sorted(sample.statuses.items()))
        )
    for line in check_after_writes(plan, before):
        print(line)


if __name__ == "__main__":
    main()
