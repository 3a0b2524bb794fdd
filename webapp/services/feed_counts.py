"""The shared public count without a scan: trigger-kept totals minus what moderation hides.

`public_event_counts` holds the number of public events per action type (in a few shards,
so concurrent inserts rarely wait on one row), kept by database triggers in the inserting
transaction (migration 0005): exact after rollbacks, bulk loads and cascaded deletes. What
no outsider may see among them (hidden events, events about a hidden startup or opportunity)
is counted from the small partial indexes on hidden rows.
"""

from sqlalchemy import func, select, union

from ..extensions import db
from ..models import ActivityEvent, Opportunity, PublicEventCount, Startup


def public_count(action_type: str | None = None) -> int:
    """Public events anyone may see (of one action type, when given)."""
    total = select(func.coalesce(func.sum(PublicEventCount.n), 0))
    if action_type:
        total = total.where(PublicEventCount.action_type == action_type)
    return int(db.session.scalar(total) or 0) - _unseen_public(action_type)


def _unseen_public(action_type: str | None) -> int:
    """Public events counted in the totals that are shown to nobody (moderation).

    Each branch starts from the few hidden rows and reaches events by their target index.
    Applications are left out: only private action types (application_*) target them, and
    private events are not in the public totals.
    """
    hidden_startups = select(Startup.id).where(Startup.is_hidden)
    hidden_opportunities = union(
        select(Opportunity.id).where(Opportunity.is_hidden),
        select(Opportunity.id).where(Opportunity.startup_id.in_(hidden_startups)),
    )
    about_type, about_id = ActivityEvent.target_type, ActivityEvent.target_id
    public = [ActivityEvent.is_public]
    if action_type:
        public.append(ActivityEvent.action_type == action_type)
    unseen = union(
        select(ActivityEvent.id).where(ActivityEvent.is_hidden, *public),
        select(ActivityEvent.id).where(about_type == "startup", about_id.in_(hidden_startups), *public),
        select(ActivityEvent.id).where(about_type == "opportunity", about_id.in_(hidden_opportunities), *public),
    ).subquery()
    return db.session.scalar(select(func.count()).select_from(unseen)) or 0
