"""Saved items as a preference signal: what the viewer bookmarked, and what resembles it.

Only ever used to score the viewer's own lists; saved items are private and never appear in
anyone else's recommendations or reasons.
"""

from sqlalchemy import Select, case, literal, select, union

from ..models import Opportunity, SavedItem, Startup

SAVED = 1.0
RELATED = 0.6  # you saved the startup of this role, or a role at this startup
SIMILAR = 0.4  # same industry as something you saved


def saved_startup_ids(viewer_id: int) -> Select:
    return select(SavedItem.startup_id).where(SavedItem.user_id == viewer_id, SavedItem.startup_id.is_not(None))


def saved_opportunity_ids(viewer_id: int) -> Select:
    return select(SavedItem.opportunity_id).where(
        SavedItem.user_id == viewer_id, SavedItem.opportunity_id.is_not(None)
    )


def startups_of_saved_opportunities(viewer_id: int) -> Select:
    return select(Opportunity.startup_id).where(Opportunity.id.in_(saved_opportunity_ids(viewer_id)))


def saved_industries(viewer_id: int) -> Select:
    """Industries of the startups the viewer saved, directly or through one of their roles."""
    startup_ids = union(saved_startup_ids(viewer_id), startups_of_saved_opportunities(viewer_id))
    return select(Startup.industry).where(Startup.id.in_(startup_ids), Startup.industry != "")


def startup_part(viewer_id: int, startup_id, industry):
    """1 for a saved startup, 0.6 when a role there is saved, 0.4 for the same industry as a saved one."""
    return case(
        (startup_id.in_(saved_startup_ids(viewer_id)), literal(SAVED)),
        (startup_id.in_(startups_of_saved_opportunities(viewer_id)), literal(RELATED)),
        (industry.in_(saved_industries(viewer_id)), literal(SIMILAR)),
        else_=literal(0.0),
    )


def opportunity_part(viewer_id: int, opportunity_id, startup_id):
    """1 for a saved role, 0.6 when its startup is saved."""
    return case(
        (opportunity_id.in_(saved_opportunity_ids(viewer_id)), literal(SAVED)),
        (startup_id.in_(saved_startup_ids(viewer_id)), literal(RELATED)),
        else_=literal(0.0),
    )


STARTUP_REASONS = {SAVED: "you saved it", RELATED: "you saved one of its roles",
                   SIMILAR: "in an industry you saved startups from"}
OPPORTUNITY_REASONS = {SAVED: "you saved it", RELATED: "you saved this startup"}
