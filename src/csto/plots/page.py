"""Writing a chart: PNG, SVG, or a self-contained HTML page with the chart and its tables.

PLOT_FORMATS, PlotError, check_plot_path(path)   what --plot accepts
pyplot(), dates()          matplotlib, imported on first use (a command that draws nothing
                           does not pay for it), with the file-only Agg backend
chart_text(text)           text from a file made safe for matplotlib (no mathtext, no control
                           characters)
html_table(columns, rows)  an HTML table, every cell escaped
save_figure(fig, path, title, appendix_html)
                           .png/.svg as matplotlib writes them; .html as one page: doctype,
                           head, the chart as inline SVG (its XML preamble removed), the
                           appendix; no script, no stylesheet or image fetched from anywhere
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from csto.domain.errors import UsageError, check_output_path
from csto.domain.wording import for_terminal

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PLOT_FORMATS = (".png", ".svg", ".html")
DPI = 120
STYLE = (
    "body{font-family:system-ui,sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;"
    "color:#222}svg{max-width:100%;height:auto}table{border-collapse:collapse;margin:1em 0}"
    "th,td{padding:2px 10px;text-align:left;border-bottom:1px solid #ddd}th{background:#f4f4f4}"
    "td.n{text-align:right;font-variant-numeric:tabular-nums}"
)
_PREAMBLE = re.compile(r"^\s*(<\?xml[^>]*\?>\s*)?(<!DOCTYPE[^>]*>\s*)?", re.S)


class PlotError(UsageError):
    """The plot cannot be written in the format asked for."""


def check_plot_path(path: Path) -> Path:
    return check_output_path(path, PLOT_FORMATS, "plot")


def pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def dates() -> Any:
    import matplotlib.dates as mdates

    return mdates


def chart_text(text: str) -> str:
    """matplotlib reads $...$ as mathematics and cannot draw control characters."""
    return for_terminal(text).replace("$", r"\$")


def html_table(
    columns: Sequence[str], rows: Sequence[Sequence[str]], numeric: Sequence[int] = ()
) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td{' class=n' if k in numeric else ''}>{html.escape(cell)}</td>"
            for k, cell in enumerate(row)
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def inline_svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg")
    return _PREAMBLE.sub("", buffer.getvalue(), count=1)


def render_figure(fig: Figure, fmt: str, title: str, appendix_html: str = "") -> bytes:
    """A figure as the bytes of a .png, .svg or .html file (a self-contained page): for a file, or
    for a server's answer."""
    fmt = fmt.lower().lstrip(".")
    if f".{fmt}" not in PLOT_FORMATS:
        raise PlotError(f"allowed plot formats are {', '.join(PLOT_FORMATS)} (got {fmt!r})")
    try:
        if fmt in ("png", "svg"):
            buffer = io.BytesIO()
            fig.savefig(buffer, format=fmt, dpi=DPI)
            return buffer.getvalue()
        heading = html.escape(for_terminal(title))
        page = (
            '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{heading}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            f"<h1>{heading}</h1>\n<figure>\n{inline_svg(fig)}</figure>\n{appendix_html}\n"
            "</body>\n</html>\n"
        )
        return page.encode("utf-8")
    finally:
        pyplot().close(fig)


def save_figure(fig: Figure, path: Path, title: str, appendix_html: str = "") -> None:
    try:
        check_plot_path(path)
    except BaseException:
        pyplot().close(fig)
        raise
    path.write_bytes(render_figure(fig, path.suffix, title, appendix_html))
