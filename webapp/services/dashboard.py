"""What the dashboard shows each kind of viewer."""

from ..models import User
from .applications import awaiting_review, my_applications
from .opportunities import list_opportunities
from .startups import list_startups, startups_of


def for_viewer(viewer: User | None) -> dict:
    """Return the dashboard context: the viewer's own things and what is new."""
    context = {
        "latest_startups": list_startups(limit=6),
        "latest_opportunities": list_opportunities(limit=6),
        "my_startups": [],
        "my_applications": [],
        "awaiting_review": [],
    }
    if viewer is not None:
        context["my_startups"] = startups_of(viewer)
        context["my_applications"] = my_applications(viewer)[:5]
        if context["my_startups"]:
            context["awaiting_review"] = awaiting_review(viewer, limit=10)
    return context
