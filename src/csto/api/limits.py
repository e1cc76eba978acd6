"""A limit on request bodies, answered with the same error report as every other refusal (413).

BodyLimit(app, default, larger)   an ASGI middleware: `default` bytes for commands, `larger`
                                  for the paths that take a scenario (uploads); refused from
                                  Content-Length before reading, or as soon as a streamed
                                  body passes the limit
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from csto.domain.errors import ErrorReport, ProblemReport

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

COMMAND_LIMIT = 64 * 1024
UPLOAD_LIMIT = 1024 * 1024 + 64 * 1024  # a scenario file (1 MiB, csto.domain.yamlfiles) in JSON
UPLOAD_PATHS = ("/api/exercises", "/api/scenarios/check")


class _TooLarge(Exception):
    pass


def _report(size: int | str, limit: int) -> bytes:
    report = ErrorReport(
        error="request_too_large",
        message=f"body: {size} bytes; allowed: at most {limit} bytes",
        file="request",
        problems=(
            ProblemReport(path="body", value=str(size), allowed=f"allowed: at most {limit} bytes"),
        ),
    )
    return json.dumps(report.dump()).encode()


class BodyLimit:
    def __init__(self, app: App, default: int = COMMAND_LIMIT, larger: int = UPLOAD_LIMIT) -> None:
        self.app, self.default, self.larger = app, default, larger

    async def _refuse(self, send: Send, size: int | str, limit: int) -> None:
        body = _report(size, limit)
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = self.larger if scope["path"] in UPLOAD_PATHS else self.default
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    size = int(value)
                except ValueError:
                    size = -1
                if size > limit:
                    await self._refuse(send, size, limit)
                    return
        seen = 0
        started = False

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > limit:
                    raise _TooLarge
            return message

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, tracked)
        except _TooLarge:
            if not started:
                await self._refuse(send, f"more than {limit}", limit)
