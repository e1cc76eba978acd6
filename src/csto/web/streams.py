"""Server-sent events for pages: one message in the text/event-stream framing.

    sse_message(event, data, id=None, retry_ms=None)   "event: clock\nid: 7\ndata: ...\n\n"

htmx's SSE extension swaps a message's data into the element whose `sse-swap` names its event,
so `data` is an HTML fragment rendered with the same macros as the page. A fragment of several
lines becomes several `data:` lines (the browser joins them with newlines again); `id` is what
the browser sends back as Last-Event-ID when it reconnects by itself.
"""

from __future__ import annotations


def _field(name: str, value: str) -> str:
    if "\n" in value or "\r" in value:
        raise ValueError(f"an SSE {name} is one line, not {value!r}")
    return f"{name}: {value}\n"


def sse_message(
    event: str, data: str, id: str | int | None = None, retry_ms: int | None = None
) -> str:
    lines = [_field("event", event)]
    if id is not None:
        lines.append(_field("id", str(id)))
    if retry_ms is not None:
        lines.append(_field("retry", str(int(retry_ms))))
    lines += [f"data: {line}\n" for line in data.replace("\r\n", "\n").split("\n")]
    return "".join(lines) + "\n"
