"""A local stand-in for the Kolada API v3: serves the recordings in ``tests/kolada/`` on
127.0.0.1 (port 0), counts requests per route and plays scripted failures. Nothing in the test
suite reaches the network."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

RECORDINGS = Path(__file__).parent / "kolada"

DATA_PATH = "/v3/data/kpi/N00914,U00402/municipality/0840/year/2020,2021,2022"
COMPARE_PATH = "/v3/data/kpi/N00914,U00402/municipality/0000,G37411/year/2020,2021,2022"


@dataclass(frozen=True)
class Reply:
    """One scripted answer: a recording's name (``file``) or raw ``body``, a status, headers."""

    file: str = ""
    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = ()


def ok(file: str) -> Reply:
    return Reply(file=file)


@dataclass
class FakeKolada:
    routes: dict[str, list[Reply]] = field(default_factory=dict)
    counts: Counter[str] = field(default_factory=Counter)
    requests: list[str] = field(default_factory=list)
    base: str = ""

    def route(self, key: str, *replies: Reply) -> None:
        """Answer ``key`` (a path, with ``?page=N`` for later pages) with ``replies`` in order;
        the last one is repeated."""
        self.routes[key] = list(replies)

    def happy(self, *, compare: bool = False) -> None:
        """The routes of a successful import for Testkommun (0840), N00914 and U00402."""
        self.route("/v3/municipality/0840", ok("municipality-0840.json"))
        self.route("/v3/kpi/N00914,U00402", ok("kpi-N00914-U00402.json"))
        self.route(DATA_PATH, ok("data-0840-page1.json"))
        self.route(f"{DATA_PATH}?page=2", ok("data-0840-page2.json"))
        if compare:
            self.route("/v3/municipality_groups", ok("municipality-groups-testkommun.json"))
            self.route(COMPARE_PATH, ok("data-compare.json"))

    def answer(self, key: str) -> tuple[int, bytes, tuple[tuple[str, str], ...]]:
        self.counts[key] += 1
        replies = self.routes.get(key)
        if not replies:
            return 418, b'{"error": "no recording for this request"}', ()
        reply = replies.pop(0) if len(replies) > 1 else replies[0]
        body = reply.body
        if reply.file:
            text = (RECORDINGS / reply.file).read_text(encoding="utf-8")
            body = text.replace("{base}", self.base).encode("utf-8")
        return reply.status, body, reply.headers


def serve(fake: FakeKolada) -> Iterator[FakeKolada]:
    """Run ``fake`` on 127.0.0.1 for the duration of a fixture."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parts = urlsplit(self.path)
            page = parse_qs(parts.query).get("page", ["1"])[0]
            key = parts.path if page == "1" else f"{parts.path}?page={page}"
            fake.requests.append(self.path)
            status, body, headers = fake.answer(key)
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    fake.base = f"http://127.0.0.1:{server.server_address[1]}/v3"
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield fake
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
