"""Fixtures for the browser tests: Debian's chromium driven by Playwright, a fresh browser context
per client, live servers on 127.0.0.1, the request log, axe-core and screenshots.

    browser       (session) Chromium from `shutil.which("chromium")`; missing: a failure under CI=1,
                  a skip elsewhere (apt-get install chromium)
    live_server   start(app_factory) -> LiveServer: serves app_factory() until the test ends;
                  server("/path") is the full URL. Any ASGI app: csto.api's, or a test's own
    new_client    new_client(**context_options) -> Client: a fresh context (its own cookies and
                  storage, as a separate person at a separate machine) with its own RequestLog
    client, page, request_log   one client, a page in it, and its log, for one-person tests
    axe           axe(page, fail_on=("critical",)) runs axe-core and fails on those impacts
    shot          shot(page, "name") writes docs/screenshots/name.png

Every request to another origin than the test's live servers is aborted and recorded, so a test
that calls request_log.assert_nothing_from_outside() proves the page needs nothing from outside.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright
from playwright.sync_api import expect as _expect

from .harness import (
    AppFactory,
    LiveServer,
    RequestLog,
    accessibility,
    chromium_args,
    screenshot,
)

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def chromium() -> str:
    path = shutil.which("chromium")
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail("CI must install Debian's chromium (.ci/run does: apt-get install chromium)")
    pytest.skip("no chromium on this machine: apt-get install chromium (CI installs it)")


@pytest.fixture(scope="session")
def browser(chromium: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        # Playwright gives every launch a fresh temporary profile (user-data-dir) of its own.
        launched = playwright.chromium.launch(executable_path=chromium, args=chromium_args())
        yield launched
        launched.close()


@pytest.fixture
def origins() -> set[str]:
    """The origins of this test's live servers: what counts as local in the request logs."""
    return set()


@pytest.fixture
def live_server(origins: set[str]) -> Iterator[Callable[[AppFactory], LiveServer]]:
    servers: list[LiveServer] = []

    def start(factory: AppFactory) -> LiveServer:
        server = LiveServer(factory())
        servers.append(server)
        origins.add(server.url)
        return server

    yield start
    for server in servers:
        server.stop()


@dataclass
class Client:
    """One person's browser: a context with its own cookies, and the log of what it fetched."""

    context: BrowserContext
    log: RequestLog

    def page(self) -> Page:
        return self.context.new_page()


@pytest.fixture
def new_client(
    browser: Browser,
    origins: set[str],
    live_server: Callable[[AppFactory], LiveServer],  # so contexts close before servers stop
) -> Iterator[Callable[..., Client]]:
    clients: list[Client] = []

    def make(**options: Any) -> Client:
        settings: dict[str, Any] = {
            "viewport": {"width": 1280, "height": 800},
            "locale": "en-GB",
            "timezone_id": "UTC",
            "service_workers": "block",
        }
        context = browser.new_context(**(settings | options))
        context.set_default_timeout(10_000)
        log = RequestLog(origins)
        log.attach(context)
        clients.append(Client(context, log))
        return clients[-1]

    yield make
    for c in clients:
        c.context.close()


@pytest.fixture
def client(new_client: Callable[..., Client]) -> Client:
    return new_client()


@pytest.fixture
def page(client: Client) -> Page:
    return client.page()


@pytest.fixture
def request_log(client: Client) -> RequestLog:
    return client.log


@pytest.fixture
def axe() -> Callable[..., list[dict[str, Any]]]:
    return accessibility


@pytest.fixture
def shot() -> Callable[..., Path]:
    return screenshot


# Machines here are shared and noisy: give a page up to 20 s to show what a test expects.
_expect.set_options(timeout=20_000)
