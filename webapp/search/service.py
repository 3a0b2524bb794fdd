"""Search for pages and the API: validate the request, serve from cache or the back-end, shape it."""

import base64
import binascii
import hashlib
import html
import json
import uuid
from dataclasses import dataclass
from urllib.parse import quote

from werkzeug.datastructures import MultiDict

from ..extensions import cache, db
from .backend import MARK_END, MARK_START, Backend, Page
from .filters import DIMENSIONS
from .postgres import PostgresBackend
from .query import BadQuery, clean, parse
from .spelling import correct
from .sqlite import SqliteBackend

TYPES = ("startup", "user", "opportunity")
DEFAULT_LIMIT, MAX_LIMIT = 20, 50
MAX_OFFSET = 1000
MAX_FILTER_VALUES, MAX_FILTER_LENGTH = 20, 100
CACHE_SECONDS = 600
VERSION_KEY = "search:version"


@dataclass(frozen=True)
class SearchRequest:
    """A validated search: the query text, facet filters and the page wanted."""

    q: str
    filters: dict
    limit: int = DEFAULT_LIMIT
    offset: int = 0


def parse_request(args: MultiDict) -> SearchRequest:
    """Validate query-string arguments; raise BadQuery (400) with a message saying what is wrong."""
    q = args.get("q") or ""
    parse(q)  # refuse an over-long query before anything else
    filters = {}
    for name in DIMENSIONS:
        values = sorted({clean(value).strip() for value in args.getlist(name)} - {""})
        if len(values) > MAX_FILTER_VALUES or any(len(value) > MAX_FILTER_LENGTH for value in values):
            raise BadQuery(f"Too many or too long values for {name}.", {name: ["Too many or too long values."]})
        if name == "type" and not set(values) <= set(TYPES):
            raise BadQuery("type must be startup, user or opportunity.", {"type": ["Unknown type."]})
        if values:
            filters[name] = tuple(values)
    return SearchRequest(q, filters, _limit(args.get("limit")), decode_cursor(args.get("cursor")))


def _limit(value: str | None) -> int:
    if value in (None, ""):
        return DEFAULT_LIMIT
    if not value.isdigit() or not 1 <= int(value) <= MAX_LIMIT:
        raise BadQuery(f"limit must be a whole number from 1 to {MAX_LIMIT}.", {"limit": ["Out of range."]})
    return int(value)


def encode_cursor(offset: int) -> str:
    """Return the opaque cursor for the page starting at `offset`."""
    return base64.urlsafe_b64encode(f"o:{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """Return the offset a cursor stands for; raise BadQuery for anything not made by us."""
    if not cursor:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeError, ValueError):
        raise BadQuery("The cursor is not valid.", {"cursor": ["Not valid."]}) from None
    kind, _, number = raw.partition(":")
    if kind != "o" or not number.isdigit() or int(number) > MAX_OFFSET:
        raise BadQuery("The cursor is not valid.", {"cursor": ["Not valid."]})
    return int(number)


def viewer_class(viewer) -> str:
    """Cache partition: what a viewer may see (today every class sees the same documents)."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return "anonymous"
    return "admin" if viewer.is_admin else "member"


def backend_for(session) -> Backend:
    """Return the back-end matching the session's database."""
    if session.get_bind().dialect.name == "postgresql":
        return PostgresBackend(session)
    return SqliteBackend(session)


def search(request: SearchRequest, viewer=None) -> dict:
    """Return the SPEC search answer, cached for ten minutes per query, filters and viewer class."""
    payload = json.dumps([request.q, request.filters, request.limit, request.offset], sort_keys=True)
    digest = hashlib.sha256(payload.encode()).hexdigest()
    key = f"search:{_version()}:{viewer_class(viewer)}:{digest}"
    answer = cache.get(key)
    if answer is None:
        answer = _run(request)
        cache.set(key, answer, timeout=CACHE_SECONDS)
    return answer


def _version() -> str:
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=0)
        version = cache.get(VERSION_KEY) or "0"
    return version


def invalidate() -> None:
    """Make every cached search stale (called after a write to a searched entity commits)."""
    # A fresh random version, never expiring: an expired counter could revive stale entries.
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=0)


def _run(request: SearchRequest) -> dict:
    parsed = parse(request.q)
    backend = backend_for(db.session)
    did_you_mean = None
    if parsed.matches_nothing:
        page, facets = Page([], 0), []
    else:
        page = backend.page(parsed, request.filters, request.limit, request.offset)
        facets = backend.facets(parsed, request.filters)
        if page.total == 0 and parsed.has_positive:
            corrected = correct(parsed, backend)
            fixed = parse(corrected) if corrected else None
            fixed_page = backend.page(fixed, request.filters, request.limit, request.offset) if fixed else None
            # Offer a correction only when it finds something (the vocabulary may hold stale words).
            if fixed_page and fixed_page.total:
                did_you_mean, page = corrected, fixed_page
                facets = backend.facets(fixed, request.filters)
    end = request.offset + request.limit
    return {
        "query": parsed.text,
        "count": page.total,
        "results": [_result(row) for row in page.rows],
        "facets": _facets(facets),
        "did_you_mean": did_you_mean,
        "next": encode_cursor(end) if end < page.total and end <= MAX_OFFSET else None,
    }


def _facets(rows: list[tuple[str, str, int]]) -> dict:
    facets = {name: {} for name in DIMENSIONS}
    for dimension, value, count in rows:
        facets[dimension][value] = count
    return facets


def _result(row: dict) -> dict:
    return {
        "type": row["kind"],
        "id": row["ref_id"],
        "title": row["title"],
        "snippet": highlight(row["snippet"] or ""),
        "url": _url(row),
        "score": round(float(row["score"] or 0.0) + (1.0 if row["exact"] else 0.0), 4),
    }


def highlight(snippet: str) -> str:
    """Escape a snippet, then turn the match markers into <mark> tags."""
    escaped = html.escape(snippet.strip(), quote=True)
    return escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")


def _url(row: dict) -> str:
    # The SPEC's public paths (the detail pages live in other blueprints).
    if row["kind"] == "startup":
        return f"/startups/{quote(row['slug'])}"
    if row["kind"] == "user":
        return f"/users/{quote(row['slug'])}"
    return f"/opportunities/{row['ref_id']}"
