"""The pieces of the browser tests, apart from pytest: a live server, a request log, the
accessibility check and screenshots. tests/e2e/conftest.py turns them into fixtures.

    chromium_args()        how Debian's chromium is launched (no Playwright browser download)
    LiveServer             an ASGI app served by uvicorn in a thread on a free 127.0.0.1 port
    RequestLog             every request the pages of one browser context make; requests to any
                           other origin are aborted, kept, and fail assert_nothing_from_outside()
    accessibility(page)    axe-core run in the page; AccessibilityError on violations of the
                           impacts asked for (critical by default)
    screenshot(target, n)  a PNG of a page or an element in docs/screenshots/<n>.png
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import uvicorn
from playwright.sync_api import BrowserContext, Locator, Page, Request, Route

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
AXE = HERE / "vendor" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"

AppFactory = Callable[[], Any]  # returns an ASGI application


def chromium_args() -> list[str]:
    return [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ]


class LiveServer:
    """uvicorn serving `app` on 127.0.0.1 in a daemon thread, until stop()."""

    def __init__(self, app: Any, ready_within: float = 15.0) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))  # the kernel picks a free port, and we hold it
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(
            app,
            log_level="warning",
            lifespan="auto",
            ws="none",
            timeout_graceful_shutdown=2,
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )
        self.thread.start()
        deadline = time.monotonic() + ready_within
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the test server did not start on {self.url}")
            time.sleep(0.02)

    def __call__(self, path: str = "/") -> str:
        """The full URL of a path on this server."""
        return self.url + (path if path.startswith("/") else "/" + path)

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@dataclass(frozen=True)
class Seen:
    method: str
    url: str
    resource_type: str


@dataclass
class RequestLog:
    """What the pages of one context asked for. `origins` is shared with the live servers of the
    test, so a server started after the context is still local."""

    origins: set[str]
    requests: list[Seen] = field(default_factory=list)
    blocked: list[Seen] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> None:
        context.on("request", self._seen)
        context.route("**/*", self._route)

    def _seen(self, request: Request) -> None:
        self.requests.append(Seen(request.method, request.url, request.resource_type))

    def _route(self, route: Route) -> None:
        request = route.request
        if self.is_local(request.url):
            route.continue_()
        else:  # never let a page reach the Internet, and remember that it tried
            self.blocked.append(Seen(request.method, request.url, request.resource_type))
            route.abort("blockedbyclient")

    def is_local(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("data", "blob", "about") or (
            f"{parts.scheme}://{parts.netloc}" in self.origins
        )

    def outside(self) -> list[Seen]:
        return [r for r in self.requests if not self.is_local(r.url)] + [
            r for r in self.blocked if r not in self.requests
        ]

    def assert_nothing_from_outside(self) -> None:
        assert self.requests, "no request was logged: the log is not attached"
        outside = self.outside()
        assert not outside, "requests outside the server: " + ", ".join(
            f"{r.method} {r.url} ({r.resource_type})" for r in outside
        )

    def paths(self, kind: str | None = None) -> list[str]:
        """The paths asked for (of one resource type: document, script, stylesheet, fetch, ...)."""
        return [
            urlsplit(r.url).path for r in self.requests if kind is None or r.resource_type == kind
        ]


class AccessibilityError(AssertionError):
    pass


def accessibility(
    page: Page, fail_on: Iterable[str] = ("critical",), context: str = "document"
) -> list[dict[str, Any]]:
    """Run axe-core in the page; raise on violations of the given impacts, return all others.

    axe is evaluated through the DevTools protocol, not added as a <script>, so it is neither a
    request in the log nor blocked by the page's Content Security Policy."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    violations: list[dict[str, Any]] = page.evaluate(
        """async (context) => {
            const result = await axe.run(context === 'document' ? document : context,
                                         {resultTypes: ['violations']});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(n => n.target.join(' ')),
            }));
        }""",
        context,
    )
    failing = [v for v in violations if v["impact"] in set(fail_on)]
    if failing:
        raise AccessibilityError(
            "accessibility violations: "
            + "; ".join(f"{v['impact']} {v['id']} ({v['help']}) at {v['nodes']}" for v in failing)
        )
    return violations


def screenshot(target: Page | Locator, name: str) -> Path:
    """docs/screenshots/<name>.png of a whole page, or of one element, as the browser shows it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    if isinstance(target, Page):
        target.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
    else:
        target.screenshot(path=str(path), animations="disabled", caret="hide")
    return path
