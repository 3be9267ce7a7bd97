"""The real HTTP receiver and the subscriptions the webhook tests share."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

import pytest

from ideas.models import (
    WebhookSubscription,
)
from tests.ideas.webhooks.helpers import ALL_EVENTS, Receiver


@pytest.fixture
def receiver():
    recorder = Receiver()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers["Content-Length"]))
            recorder.requests.append(
                SimpleNamespace(path=self.path, headers=self.headers, body=body)
            )
            code = recorder.codes.pop(0) if recorder.codes else 200
            self.send_response(code)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(f"answer {code}".encode())

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    recorder.url = f"http://127.0.0.1:{server.server_port}/hooks/cocreate"
    yield recorder
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def subscribe(db, receiver):
    def make(events=None, **fields) -> WebhookSubscription:
        fields.setdefault("name", "Product tools")
        fields.setdefault("url", receiver.url)
        return WebhookSubscription.objects.create(
            events=ALL_EVENTS if events is None else events, **fields
        )

    return make
