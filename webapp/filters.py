"""Jinja filters for dates, numbers and user-written text."""

import re
import zlib
from datetime import UTC, datetime
from urllib.parse import urlsplit

from flask import Flask
from markupsafe import Markup, escape


def format_datetime(value: datetime | None) -> str:
    """Exact UTC time, e.g. "2026-11-29 19:40 UTC"."""
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if value else ""


def timeago(value: datetime | None, now: datetime | None = None) -> str:
    """Relative time, e.g. "5 min ago"."""
    if value is None:
        return ""
    seconds = int(((now or datetime.now(UTC)) - value).total_seconds())
    if seconds < 45:
        return "just now"
    for size, unit in ((86400 * 365, "y"), (86400 * 30, "mo"), (86400, "d"), (3600, "h"), (60, "min")):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return "just now"


def compact_number(value: float | int | None) -> str:
    """12_300 -> "12.3k", 4_500_000 -> "4.5M"."""
    value = value or 0
    for size, suffix in ((1e9, "B"), (1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"{value / size:.1f}".rstrip("0").rstrip(".") + suffix
    return f"{value:g}"


def percent(value: float | None) -> str:
    """0.12 -> "12 %"."""
    return f"{(value or 0) * 100:.0f} %"


LABELS = {
    "pre_seed": "Pre-seed", "series_a": "Series A", "series_b_plus": "Series B+",
    "full_time": "Full-time", "part_time": "Part-time", "cofounder": "Co-founder",
}


def humanize(value: str | None) -> str:
    """series_a -> "Series A", full_time -> "Full-time", idea -> "Idea"."""
    return LABELS.get(value or "", (value or "").replace("_", " ").capitalize())


AVATAR_COLOURS = 8  # .avatar-c0 … .avatar-c7 in static/css/app.css


def avatar_hue(value: str) -> int:
    """Pick one of the avatar colours from a name, the same one every time."""
    return zlib.crc32(str(value).lower().encode()) % AVATAR_COLOURS


def ugc(value) -> Markup:
    """User-generated text, escaped, inside `hx-disable`: htmx never processes anything in it.

    Markup (already safe HTML, e.g. linkify's output) passes through unescaped but still gets wrapped."""
    return Markup('<span class="ugc" hx-disable>') + escape("" if value is None else value) + Markup("</span>")


def ugc_links(text: str | None) -> Markup:
    """The `linkify` template filter: linkified user text, inside `hx-disable` like any other user text."""
    return ugc(linkify(text))


def init_app(app: Flask) -> None:
    app.jinja_env.filters.update(
        datetime=format_datetime, timeago=timeago, compact=compact_number, percent=percent, humanize=humanize,
        linkify=ugc_links,
        avatar_hue=avatar_hue,
        ugc=ugc,
    )


# Only absolute http(s) URLs become links; everything else stays escaped text.
LINK = re.compile(r"\bhttps?://[^\s<>\"'`]+", re.IGNORECASE)
TRAILING = ".,;:!?)]}*_~"
LINK_TAG = Markup('<a href="{0}" rel="nofollow noopener ugc" target="_blank">{0}</a>')


def linkify(text: str | None) -> Markup:
    """Escape plain text and make its http(s) links clickable (rel="nofollow noopener ugc")."""
    text = text or ""
    parts: list[Markup] = []
    position = 0
    for match in LINK.finditer(text):
        url = match.group(0).rstrip(TRAILING)
        end = match.start() + len(url)
        parts.append(escape(text[position:match.start()]))
        # Markup.format escapes the URL in both the attribute and the text.
        parts.append(LINK_TAG.format(url) if urlsplit(url).hostname else escape(url))
        position = end
    parts.append(escape(text[position:]))
    return Markup("").join(parts)
