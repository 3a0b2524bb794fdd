"""Recommendations for a viewer, and "not interested" with its undo."""

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from ..extensions import db
from ..models import DISMISS_KINDS, Dismissal, Opportunity, Startup, User
from ..recommendations import Recommendations, default_kind, recommend, versions
from ..recommendations.results import target_url
from ..schemas.recommendations import DismissSchema, RecommendationQuerySchema, UndismissSchema
from .errors import NotFound, ValidationFailed
from .transaction import atomic
from .validation import load

REASON_LABELS = {"wrong_stage": "Wrong stage", "location": "Location", "skills": "Skills", "other": "Other"}


def recommendations_for(viewer: User, args) -> Recommendations:
    """Return the viewer's list of the asked kind (the role's kind when none is asked)."""
    fields = load(RecommendationQuerySchema(), dict(args))
    return recommend(fields["type"] or default_kind(viewer), viewer, fields["limit"])


def _target(kind: str, target_id: int):
    """Return the visible target a dismissal names, or raise NotFound."""
    if kind == "startup":
        target = db.session.get(Startup, target_id)
        visible = target is not None and not target.is_hidden
    elif kind == "opportunity":
        target = db.session.get(Opportunity, target_id)
        visible = target is not None and not target.is_hidden and not target.startup.is_hidden
    else:
        target = db.session.get(User, target_id)
        visible = target is not None and not target.is_suspended
    if not visible:
        raise NotFound(f"No such {kind}.")
    return target


def _find(viewer: User, kind: str, target_id: int) -> Dismissal | None:
    query = select(Dismissal).where(
        Dismissal.user_id == viewer.id, Dismissal.kind == kind, Dismissal.target_id == target_id
    )
    return db.session.scalar(query)


def dismiss(viewer: User, data) -> tuple[Dismissal, bool]:
    """Say "not interested" to a target; return (dismissal, created). Repeating it updates the reason."""
    fields = load(DismissSchema(), data)
    kind, target_id = fields["kind"], fields["id"]
    if kind == "user" and target_id == viewer.id:
        raise ValidationFailed({"id": ["You cannot dismiss yourself."]})
    _target(kind, target_id)
    existing = _find(viewer, kind, target_id)
    if existing is not None:
        if fields["reason"] and fields["reason"] != existing.reason:
            with atomic():
                existing.reason = fields["reason"]
        return existing, False
    try:
        with atomic():
            dismissal = Dismissal(user_id=viewer.id, kind=kind, target_id=target_id, reason=fields["reason"])
            db.session.add(dismissal)
            db.session.flush()
            versions.viewer_changed(viewer)
    except IntegrityError:
        # A double click: the unique (user, kind, target) constraint let the other request win.
        return _find(viewer, kind, target_id), False
    return dismissal, True


def undismiss(viewer: User, data) -> None:
    """Undo a "not interested": the target may be recommended again."""
    fields = load(UndismissSchema(), data)
    dismissal = _find(viewer, fields["kind"], fields["id"])
    if dismissal is None:
        raise NotFound("You have not dismissed this.")
    with atomic():
        db.session.delete(dismissal)
        versions.viewer_changed(viewer)


def list_dismissals(viewer: User) -> list[dict]:
    """Return what the viewer dismissed, newest first, with each target's title and page."""
    query = (
        select(Dismissal).where(Dismissal.user_id == viewer.id)
        .order_by(Dismissal.created_at.desc(), Dismissal.id.desc())
    )
    rows = db.session.scalars(query).all()
    titles = _titles({kind: [row.target_id for row in rows if row.kind == kind] for kind in DISMISS_KINDS})
    listed = []
    for row in rows:
        title, url = titles.get((row.kind, row.target_id)) or (f"A {row.kind} no longer listed", None)
        listed.append({
            "kind": row.kind, "id": row.target_id, "reason": row.reason, "created_at": row.created_at,
            "reason_label": REASON_LABELS.get(row.reason or "", ""), "title": title, "url": url,
        })
    return listed


def _titles(ids: dict[str, list[int]]) -> dict[tuple[str, int], tuple[str, str]]:
    """Look up the titles of dismissed targets, one query per kind (hidden ones stay unnamed)."""
    titles = {}
    if ids["startup"]:
        query = select(Startup.id, Startup.name, Startup.slug).where(
            Startup.id.in_(ids["startup"]), Startup.is_hidden.is_(False)
        )
        titles |= {("startup", i): (name, target_url("startup", slug)) for i, name, slug in db.session.execute(query)}
    if ids["opportunity"]:
        query = (
            select(Opportunity.id, Opportunity.title, Startup.name).join(Startup)
            .where(Opportunity.id.in_(ids["opportunity"]), Opportunity.is_hidden.is_(False),
                   Startup.is_hidden.is_(False))
        )
        titles |= {("opportunity", i): (f"{title} at {name}", target_url("opportunity", i))
                   for i, title, name in db.session.execute(query)}
    if ids["user"]:
        query = select(User.id, User.name, User.username).where(User.id.in_(ids["user"]), User.is_suspended.is_(False))
        titles |= {("user", i): (name or username, target_url("user", username))
                   for i, name, username in db.session.execute(query)}
    return titles
