"""Sockets for the live tests: a communicator, a handshake, a logged-in cookie."""

from __future__ import annotations

from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from cocreate.asgi import application

ORIGIN = (b"origin", b"http://testserver")
TIMEOUT = 3


def socket(path: str, *, origin=ORIGIN, cookie: str = "") -> WebsocketCommunicator:
    headers = [origin] if origin else []
    if cookie:
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, path, headers=headers)


def handshake(path: str, **kwargs) -> tuple[bool, int | None]:
    """Open a socket and close it again: what its handshake answered."""

    async def scenario():
        page = socket(path, **kwargs)
        result = await page.connect()
        await page.disconnect()
        return result

    return async_to_sync(scenario)()


def session_cookie(user) -> str:
    """A logged-in session, as the browser of ``user`` would send it."""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


async def list_page(ideas: list[int], *, cookie: str = "") -> WebsocketCommunicator:
    """A list page's socket once it has asked for the ideas it shows, as the
    page's script does on open; the sync's answer is read and dropped."""
    page = socket("/ws/ideas/", cookie=cookie)
    connected, _ = await page.connect()
    assert connected
    await page.send_json_to({"type": "sync", "ideas": ideas})
    answer = await page.receive_json_from(timeout=TIMEOUT)
    assert answer["type"] == "ideas.sync"
    return page
