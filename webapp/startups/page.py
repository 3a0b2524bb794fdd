"""The startup page's context: details, opportunities, follow and interest, updates, invitations, saving.

Shared by the startup blueprint and the forms posted from the page (teams), which re-render it.
"""

from flask_login import current_user

from ..models import Startup, User
from ..services import follows, invitations, saved, startup_updates, startups
from ..services.opportunities import list_opportunities

UPDATES_ON_PAGE = 10


def updates_context(startup: Startup, viewer: User | None, values=None, errors=None) -> dict:
    """The updates section: the latest updates and, for members, the form."""
    return {
        "startup": startup,
        "is_member": startup.has_member(viewer),
        "updates": startup_updates.list_updates(startup, limit=UPDATES_ON_PAGE),
        "update_count": startup_updates.count_updates(startup),
        "update_values": values or {},
        "update_errors": errors or {},
    }


def invite_context(startup: Startup, viewer: User | None, values=None, errors=None, sent=None) -> dict:
    """The invite section, for members only: the form and the invitations still open."""
    return {
        "startup": startup,
        "pending_invitations": invitations.pending_from(startup, viewer) if viewer else [],
        "invite_values": values or {},
        "invite_errors": errors or {},
        "invite_sent": sent,
    }


def viewer() -> User | None:
    """The signed-in user, or None for a visitor."""
    return current_user if current_user.is_authenticated else None


def social_context(startup: Startup) -> dict:
    """Follow and interest buttons."""
    user = viewer()
    return {
        "startup": startup,
        "following": user is not None and follows.is_following(user, startup),
        "followers": follows.follower_count(startup),
        "interested": user is not None and user.role == "investor" and startups.has_interest(user, startup),
    }


def page_context(startup: Startup, invite_values=None, invite_errors=None) -> dict:
    """Everything the whole startup page shows."""
    user = viewer()
    is_member = startup.has_member(user)
    return (
        social_context(startup)
        | updates_context(startup, user)
        | invite_context(startup, user, invite_values, invite_errors)
        | {
            "is_member": is_member,
            "opportunities": list_opportunities(status=None if is_member else "open", startup=startup, limit=100),
            "saved": saved.is_saved(user, startup),
        }
    )
