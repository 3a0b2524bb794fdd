"""Saved searches: save, list, delete, and record (then push) new documents that match them."""

import hashlib
import json
from urllib.parse import urlencode

from flask import current_app
from sqlalchemy import func, select, text
from sqlalchemy.dialects import postgresql, sqlite
from werkzeug.datastructures import MultiDict

from ..extensions import db
from ..models import SavedSearch, SavedSearchMatch, User, utcnow
from ..schemas.saved_searches import SavedSearchSchema
from ..search.filters import DIMENSIONS
from ..search.query import parse
from ..search.saved import filters_allow, load_filters
from ..search.service import backend_for, parse_request
from .errors import Conflict, NotFound, ServiceError, ValidationFailed
from .transaction import after_commit, atomic
from .validation import load

MAX_PER_USER = 20
PAGE_SIZE = 20
RECENT_ON_PAGE = 5
PATHS = {"startup": "/startups/{slug}", "user": "/users/{slug}", "opportunity": "/opportunities/{ref_id}"}

# Matches whose document is still visible (hidden items and suspended people have no
# search document), with the document's current title; {where} narrows `m`.
VISIBLE_MATCHES = " UNION ALL ".join(
    f"SELECT m.id, m.saved_search_id, m.kind, m.ref_id, m.created_at, d.title, d.slug "
    f"FROM saved_search_matches m JOIN search_documents d ON d.{fk} = m.ref_id "
    f"WHERE m.kind = '{kind}' AND {{where}}"
    for kind, fk in (("startup", "startup_id"), ("user", "user_id"), ("opportunity", "opportunity_id"))
)


class BadSavedSearch(ServiceError):
    status = 400
    code = "bad_request"


def _validated(data) -> dict:
    try:
        fields = load(SavedSearchSchema(), data)
    except ValidationFailed as exc:
        raise BadSavedSearch("The saved search is not valid.", exc.fields) from None
    args = MultiDict([("q", fields["q"])] + [
        (name, value) for name, values in fields["filters"].items() for value in values
    ])
    # The search's own rules: the same limits and 400s as GET /api/v1/search/.
    wanted = parse_request(args)
    parsed = parse(wanted.q)
    if parsed.matches_nothing:
        raise BadSavedSearch("The query has no words to search for.", {"q": ["No words to search for."]})
    if parsed.blank and not wanted.filters:
        raise BadSavedSearch("Type a query or choose a filter to save.", {"q": ["Nothing to save."]})
    return {"name": fields.get("name") or _default_name(parsed.text, wanted.filters), "parsed": parsed,
            "filters": {name: list(values) for name, values in wanted.filters.items()}}


def _default_name(query: str, filters: dict) -> str:
    parts = [query] if query else []
    parts += [f"{name}: {', '.join(values)}" for name, values in filters.items()]
    return " · ".join(parts)[:100]


def create(user: User, data) -> SavedSearch:
    """Save a search for `user`; 400 when invalid or over the cap, 409 when already saved."""
    fields = _validated(data)
    mode, compiled = backend_for(db.session).compile(fields["parsed"])
    fingerprint = hashlib.sha256(
        json.dumps([mode, compiled, fields["filters"]], sort_keys=True).encode()
    ).hexdigest()
    with atomic():
        # Lock the owner's row so two concurrent saves cannot both pass the cap.
        db.session.execute(select(User.id).where(User.id == user.id).with_for_update())
        owned = db.session.scalar(select(func.count()).where(SavedSearch.user_id == user.id))
        if owned >= MAX_PER_USER:
            raise BadSavedSearch(f"You can keep at most {MAX_PER_USER} saved searches; delete one first.")
        if db.session.scalar(select(SavedSearch.id).where(
                SavedSearch.user_id == user.id, SavedSearch.fingerprint == fingerprint)):
            raise Conflict("You have already saved this search.")
        saved = SavedSearch(
            user_id=user.id, name=fields["name"], query=fields["parsed"].text if mode != "all" else "",
            filters=fields["filters"], fingerprint=fingerprint, match_mode=mode, compiled=compiled,
        )
        db.session.add(saved)
        db.session.flush()
    return saved


def get(user: User, saved_search_id: int) -> SavedSearch:
    """One of the user's saved searches; anyone else's is a 404."""
    saved = db.session.get(SavedSearch, saved_search_id) if 0 < saved_search_id < 2**31 else None
    if saved is None or saved.user_id != user.id:
        raise NotFound("No such saved search.")
    return saved


def delete(user: User, saved_search_id: int) -> None:
    """Delete one of the user's saved searches and its matches."""
    saved = get(user, saved_search_id)
    with atomic():
        db.session.execute(SavedSearchMatch.__table__.delete().where(
            SavedSearchMatch.saved_search_id == saved.id))
        db.session.delete(saved)


def list_for(user: User) -> list[SavedSearch]:
    """The user's saved searches, newest first."""
    query = select(SavedSearch).where(SavedSearch.user_id == user.id).order_by(SavedSearch.id.desc())
    return list(db.session.scalars(query))


def unseen_counts(user: User) -> dict[int, int]:
    """Visible matches recorded since each saved search was last viewed."""
    where = ("m.saved_search_id IN (SELECT id FROM saved_searches WHERE user_id = :user_id) "
             "AND m.id > (SELECT seen_match_id FROM saved_searches s WHERE s.id = m.saved_search_id)")
    sql = f"SELECT v.saved_search_id, count(*) FROM ({VISIBLE_MATCHES.format(where=where)}) AS v GROUP BY 1"
    return dict(db.session.execute(text(sql), {"user_id": user.id}).all())


def recent_matches(user: User, per_search: int = RECENT_ON_PAGE) -> dict[int, list[dict]]:
    """The newest visible matches of each of the user's saved searches."""
    where = "m.saved_search_id IN (SELECT id FROM saved_searches WHERE user_id = :user_id)"
    sql = (f"SELECT * FROM (SELECT v.*, row_number() OVER (PARTITION BY v.saved_search_id ORDER BY v.id DESC) AS n "
           f"FROM ({VISIBLE_MATCHES.format(where=where)}) AS v) AS r WHERE r.n <= :per ORDER BY r.id DESC")
    found: dict[int, list[dict]] = {}
    for row in db.session.execute(text(sql), {"user_id": user.id, "per": per_search}).mappings():
        found.setdefault(row["saved_search_id"], []).append(_match(row))
    return found


def matches(saved: SavedSearch, before: int | None = None, limit: int = PAGE_SIZE) -> tuple[list[dict], int | None]:
    """One page of a saved search's visible matches, newest first, and the id to continue before."""
    where = "m.saved_search_id = :saved_id" + (" AND m.id < :before" if before else "")
    sql = f"SELECT * FROM ({VISIBLE_MATCHES.format(where=where)}) AS v ORDER BY v.id DESC LIMIT :limit"
    params = {"saved_id": saved.id, "before": before, "limit": limit + 1}
    rows = [_match(row) for row in db.session.execute(text(sql), params).mappings()]
    for row in rows:
        row["new"] = row["match_id"] > saved.seen_match_id
    return rows[:limit], (rows[limit - 1]["match_id"] if len(rows) > limit else None)


def mark_seen(user: User, saved_searches: list[SavedSearch]) -> None:
    """Move the "seen up to" mark of these saved searches to their newest match."""
    if not saved_searches:
        return
    with atomic():
        for saved in saved_searches:
            if saved.user_id != user.id:
                continue
            newest = db.session.scalar(select(func.max(SavedSearchMatch.id)).where(
                SavedSearchMatch.saved_search_id == saved.id))
            saved.seen_match_id = max(saved.seen_match_id, newest or 0)
            saved.last_seen_at = utcnow()


def _match(row) -> dict:
    return {
        "type": row["kind"], "id": row["ref_id"], "title": row["title"],
        "url": PATHS[row["kind"]].format(slug=row["slug"], ref_id=row["ref_id"]),
        "match_id": row["id"], "saved_search_id": row["saved_search_id"],
        "matched_at": _iso(row["created_at"]),
    }


def _iso(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def serialize(saved: SavedSearch, unseen: int = 0) -> dict:
    """The API shape of a saved search."""
    return {
        "id": saved.id, "name": saved.name, "query": saved.query, "filters": load_filters(saved.filters),
        "created_at": saved.created_at.isoformat(), "last_seen_at": saved.last_seen_at.isoformat(),
        "unseen": unseen, "url": f"/searches#saved-search-{saved.id}", "search_url": search_url(saved),
    }


def search_url(saved: SavedSearch) -> str:
    """The /search page showing this saved search's results now."""
    pairs = [("q", saved.query)] + [
        (name, value) for name in DIMENSIONS for value in load_filters(saved.filters).get(name, [])
    ]
    return "/search?" + urlencode(pairs)


# -- matching new documents -----------------------------------------------------------

def _insert():
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(SavedSearchMatch)


def record_matches(kind: str, ref_id: int, actor_id: int | None = None) -> list[int]:
    """Record a new or newly visible document against every saved search it matches; push each.

    One statement tests the document against all stored queries (the database's own matcher
    on that single indexed row); a hidden item or suspended person has no document, so it
    never matches. The unique (saved search, document) makes a repeat record nothing.
    """
    rows = backend_for(db.session).saved_matching(kind, ref_id, actor_id)
    wanted = sorted(row["id"] for row in rows if filters_allow(load_filters(row["filters"]), row))
    if not wanted:
        return []
    with atomic():
        statement = _insert().values(
            [{"saved_search_id": sid, "kind": kind, "ref_id": ref_id, "created_at": utcnow()} for sid in wanted]
        ).on_conflict_do_nothing(index_elements=["saved_search_id", "kind", "ref_id"])
        created = list(db.session.scalars(statement.returning(SavedSearchMatch.id)))
        after_commit(lambda: _push(created))
    return created


def _push(match_ids: list[int]) -> None:
    layer = current_app.extensions.get("channel_layer")
    for match_id in match_ids if layer is not None else ():
        layer.publish_saved_search_match(match_id)


def live_message(match_id: int) -> tuple[int, dict, dict] | None:
    """(owner id, saved search JSON, match) for a recorded match whose document is still visible."""
    match = db.session.get(SavedSearchMatch, match_id)
    if match is None:
        return None
    saved = match.saved_search
    sql = f"SELECT * FROM ({VISIBLE_MATCHES.format(where='m.id = :match_id')}) AS v"
    row = db.session.execute(text(sql), {"match_id": match_id}).mappings().first()
    if row is None:
        return None
    return saved.user_id, serialize(saved, unseen_counts(saved.user).get(saved.id, 0)), _match(row)
