"""Browser journeys: a live ASGI server (HTTP and WebSockets) and the system Chromium.

The server is daphne in a forked process serving ``cocreate.asgi.application`` (the
same app as production), plus static and media files. It shares the test database,
which is why SQLite's test database is a file. It cannot share ``mail.outbox``, so it
writes emails to files in a temporary folder the tests read.

Without Chromium or Playwright the tests are skipped with a plain reason, unless
COCREATE_REQUIRE_BROWSER=true (CI), where they fail instead.
"""

from __future__ import annotations

import email
import functools
import os
import re
import shutil
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlparse, urlunparse

import pytest
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.db import connections

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SKIP_MARK = "browser tests skipped"
SERVER_START_SECONDS = 20


def chromium_path() -> str | None:
    """COCREATE_CHROMIUM if set, else the Debian package's chromium."""
    chosen = os.environ.get("COCREATE_CHROMIUM")
    if chosen:
        return chosen if Path(chosen).is_file() else None
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


def browser_problem() -> tuple[str, str] | None:
    """Why browser tests cannot run here and what to do, or None when they can."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return (
            "Playwright not importable",
            "install the dev extras (pip install -e '.[dev]')",
        )
    if chromium_path() is None:
        return "Chromium not found", "install the Debian package chromium"
    return None


def skip_reason(problem: tuple[str, str]) -> str:
    what, fix = problem
    return f"{what}: {SKIP_MARK}; {fix}"


def failure_reason(problem: tuple[str, str]) -> str:
    what, fix = problem
    return f"{what}: browser tests cannot run and COCREATE_REQUIRE_BROWSER=true; {fix}"


def browser_required() -> bool:
    return os.environ.get("COCREATE_REQUIRE_BROWSER", "").strip().lower() in {
        "true",
        "1",
        "yes",
        "on",
    }


def pytest_configure(config):
    # Known even when xdist is off (-p no:xdist), for --strict-markers.
    config.addinivalue_line(
        "markers", "xdist_group(name): run in the same xdist worker as the group"
    )


def pytest_collection_modifyitems(config, items):
    """Skip browser tests early (no database set-up) when they cannot run here."""
    problem = browser_problem()
    if problem is None or browser_required():
        return  # when required, the ``browser`` fixture fails them instead
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.skip(reason=skip_reason(problem)))


@pytest.fixture(scope="session", autouse=True)
def _serialized_rollback_in_any_context(django_db_setup):
    """Serialized rollback restores the data migrations' rows (home page, groups,
    earning rules) between transactional tests. Django keeps those rows on the
    connection object of the context that created the test database; with the
    browser's event loop running, tests see a connection object of another
    context, which would not restore them. Every connection object sees them."""
    from django.db import connections

    connection = connections["default"]
    contents = getattr(connection, "_test_serialized_contents", None)
    if contents is not None:
        type(connection)._test_serialized_contents = contents
    yield
    if contents is not None:
        del type(connection)._test_serialized_contents


@pytest.fixture(scope="module")
def browser():
    """One headless system Chromium per module."""
    problem = browser_problem()
    if problem is not None:
        if browser_required():
            pytest.fail(failure_reason(problem), pytrace=False)
        pytest.skip(skip_reason(problem))
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop running in this thread, so Django
    # would refuse ORM calls (test data, database flush) as "async unsafe".
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(
                executable_path=chromium_path(), args=CHROMIUM_ARGS
            )
            try:
                yield chromium
            finally:
                chromium.close()


class _MediaFilesHandler(ASGIStaticFilesHandler):
    """Serve uploaded media too, as the proxy does in production."""

    def get_base_url(self):
        from django.conf import settings

        return settings.MEDIA_URL

    def serve(self, request):
        from django.conf import settings
        from django.views.static import serve

        return serve(
            request, self.file_path(request.path), document_root=settings.MEDIA_ROOT
        )


def _server_setup():
    """Run in the server process: keep Django's async-safety checks on there."""
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _application():
    """Built in the server process: the project's ASGI app behind file serving."""
    from channels.routing import get_default_application

    return _MediaFilesHandler(ASGIStaticFilesHandler(get_default_application()))


def _private_redis(settings) -> None:
    """Keep the live server's Redis data apart from every other test process.

    Other tests clear the cache with FLUSHDB on the database REDIS_URL names, which
    would drop the server's channel-group memberships mid-test, and their keys
    (rate limits per member id) would mix with the server's. So the server's channel
    layer uses a Redis database of its own (COCREATE_E2E_REDIS_DB, default 15) and
    both the layer and the cache use a prefix of their own.
    """
    if not settings.REDIS_URL:
        return  # in-memory layer and local-memory cache: private to the server
    prefix = f"cocreate-e2e-{uuid.uuid4().hex[:8]}"
    url = urlparse(settings.REDIS_URL)
    db = int(os.environ.get("COCREATE_E2E_REDIS_DB", "15"))
    layer = settings.CHANNEL_LAYERS["default"]
    settings.CHANNEL_LAYERS = {
        "default": {
            **layer,
            "CONFIG": {
                **layer.get("CONFIG", {}),
                "hosts": [urlunparse(url._replace(path=f"/{db}"))],
                "prefix": prefix,
            },
        }
    }
    settings.CACHES = {
        **settings.CACHES,
        "default": {**settings.CACHES["default"], "KEY_PREFIX": prefix},
    }


@dataclass
class LiveSite:
    url: str
    mail_dir: Path

    def emails(self) -> list[email.message.Message]:
        """Messages the server sent, oldest first."""
        messages = []
        for path in sorted(self.mail_dir.glob("*.log")):
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    messages.append(email.message_from_bytes(chunk.lstrip()))
        return messages

    def links_in_mail_to(self, address: str) -> list[str]:
        links = []
        for message in self.emails():
            if address not in message.get("To", ""):
                continue
            for part in message.walk():
                if part.get_content_type() == "text/plain":
                    body = part.get_payload(decode=True).decode()
                    links += re.findall(r"https?://\S+", body)
        return links


@pytest.fixture
def live_site(transactional_db, settings, tmp_path):
    """daphne serving cocreate.asgi.application on a free port, for one test."""
    from daphne.testing import DaphneProcess

    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    # The server process is forked, so it inherits these overrides.
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(mail_dir)
    _private_redis(settings)
    # Never hand an open database connection to the child process.
    connections.close_all()
    server = DaphneProcess(
        host="127.0.0.1",
        get_application=functools.partial(_application),
        setup=_server_setup,
    )
    server.start()
    try:
        if not server.ready.wait(timeout=SERVER_START_SECONDS):
            detail = "" if server.errors.empty() else server.errors.get()[1]
            raise RuntimeError(f"The live server did not start.\n{detail}")
        yield LiveSite(url=f"http://127.0.0.1:{server.port.value}", mail_dir=mail_dir)
    finally:
        server.terminate()
        server.join(timeout=10)


@pytest.fixture
def screenshot_dir(tmp_path) -> Path:
    """Where journeys save screenshots; COCREATE_E2E_SCREENSHOTS keeps them."""
    folder = Path(os.environ.get("COCREATE_E2E_SCREENSHOTS") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
