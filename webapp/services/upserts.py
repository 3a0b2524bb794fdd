"""Create or update one imported row by its natural key, through the write services.

Each function takes fields already validated by the matching import schema, runs inside
the caller's unit of work, and returns CREATED, UPDATED or UNCHANGED. `record=False`
writes the rows without their activity events (bulk loads).
"""

from sqlalchemy import select

from ..extensions import db
from ..models import TRACTION_FIELDS, Startup, StartupMember, User
from . import accounts, applications, follows, opportunities, profiles, startups
from .errors import Conflict, NotFound, ValidationFailed
from .transaction import atomic

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"
PROFILE_KEYS = ("name", "headline", "bio", "location", "skills", "open_to_work", "investor")
STARTUP_COMPARED = (*startups.DETAIL_FIELDS, *TRACTION_FIELDS, "skill_names")
OPPORTUNITY_COMPARED = (*opportunities.EDITABLE, "status", "skill_names")


def user_named(username: str) -> User:
    """Return the user a line refers to, or raise NotFound naming it."""
    user = accounts.find_user(username)
    if user is None:
        raise NotFound(f"unknown user '{username}'")
    return user


def startup_with_slug(slug: str) -> Startup:
    """Return the startup a line refers to, or raise NotFound naming it."""
    try:
        return startups.get_startup(slug)
    except NotFound:
        raise NotFound(f"unknown startup '{slug}'") from None


def acting_member(startup: Startup) -> User:
    """Pick the member an import acts as for a startup's writes (its earliest member)."""
    if not startup.memberships:
        raise Conflict(f"startup '{startup.slug}' has no members to act for it")
    return startup.members[0]


def add_founders(startup: Startup, founders: list[User]) -> bool:
    """Make each of `founders` a member of `startup`; return whether anyone was added."""
    missing = [user for user in founders if not startup.has_member(user)]
    if not missing:
        return False
    with atomic():
        for user in missing:
            startup.memberships.append(StartupMember(user=user, role="founder"))
        db.session.flush()
    return True


def _snapshot(row, names: tuple[str, ...]) -> tuple:
    return tuple(getattr(row, name) for name in names)


def upsert_user(fields: dict, record: bool = True) -> str:
    """Match on username (any case); set account fields and the profile."""
    profile = {key: fields[key] for key in PROFILE_KEYS if key in fields}
    user = accounts.find_user(fields["username"])
    with atomic():
        if user is None:
            user = accounts.create_user(fields, record=record)
            profiles.update_profile(user, profile, record=record)
            return CREATED
        changed = _update_account(user, fields)
        changed |= profiles.update_profile(user, profile, record=record)
    return UPDATED if changed else UNCHANGED


def _update_account(user: User, fields: dict) -> bool:
    changed = False
    email = fields["email"].lower()
    if user.email != email:
        owner = accounts.find_user(email)
        if owner is not None and owner.id != user.id:
            raise ValidationFailed({"email": ["An account with this email exists."]})
        user.email = email
        changed = True
    if user.role != fields["role"]:
        user.role = fields["role"]
        changed = True
    if not accounts.password_matches(user, fields["password"]):
        accounts.change_password(user, fields["password"])
        changed = True
    return changed


def upsert_startup(fields: dict, record: bool = True) -> str:
    """Match on slug; listed founders become members (members not listed stay)."""
    founders = [user_named(name) for name in fields.get("founders") or []]
    details = {key: value for key, value in fields.items() if key != "founders"}
    startup = db.session.scalar(select(Startup).where(Startup.slug == fields["slug"]))
    with atomic():
        if startup is None:
            if not founders:
                raise ValidationFailed({"founders": ["A new startup needs at least one founder."]})
            startup = startups.create_startup(founders[0], details, record=record)
            add_founders(startup, founders[1:])
            return CREATED
        added = add_founders(startup, founders)
        editor = founders[0] if founders else acting_member(startup)
        before = _snapshot(startup, STARTUP_COMPARED)
        startups.update_startup(startup, editor, details, record=record)
    return UPDATED if added or _snapshot(startup, STARTUP_COMPARED) != before else UNCHANGED


def upsert_opportunity(fields: dict, record: bool = True) -> str:
    """Match on ref; the startup's earliest member posts or edits it."""
    startup = startup_with_slug(fields["startup"])
    opportunity = opportunities.find_by_ref(fields["ref"])
    with atomic():
        if opportunity is None:
            opportunities.post_opportunity(acting_member(startup), fields, record=record)
            return CREATED
        before = _snapshot(opportunity, OPPORTUNITY_COMPARED)
        editor = acting_member(opportunity.startup)
        opportunities.update_opportunity(opportunity, editor, fields, record=record)
    return UPDATED if _snapshot(opportunity, OPPORTUNITY_COMPARED) != before else UNCHANGED


def upsert_follow(fields: dict, record: bool = True) -> str:
    """Match on (follower, target); an existing follow is left as it is."""
    follower = user_named(fields["follower"])
    if "user" in fields:
        target = user_named(fields["user"])
        if target.is_suspended:
            raise NotFound(f"unknown user '{fields['user']}'")
    else:
        target = startup_with_slug(fields["startup"])
    if follows.is_following(follower, target):
        return UNCHANGED
    follows.follow(follower, target, record=record)
    return CREATED


def upsert_application(fields: dict, record: bool = True) -> str:
    """Match on (user, opportunity ref); an existing application only takes the new note."""
    applicant = user_named(fields["user"])
    opportunity = opportunities.find_by_ref(fields["opportunity"])
    if opportunity is None:
        raise NotFound(f"unknown opportunity '{fields['opportunity']}'")
    opportunities.require_visible(opportunity)
    application = applications.find_application(applicant, opportunity)
    if application is None:
        note = {"note": fields["note"]} if "note" in fields else {}
        applications.apply(applicant, opportunity, note, record=record)
        return CREATED
    if "note" not in fields or application.note == fields["note"]:
        return UNCHANGED
    with atomic():
        application.note = fields["note"]
        db.session.flush()
    return UPDATED
