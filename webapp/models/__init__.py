"""Domain models, one aggregate per module."""

from .activity import ACTION_TYPES, ActivityEvent, EventAudience, Feed
from .connection import CONNECTION_STATUSES, Block, Connection, pair
from .conversation import CONVERSATION_STATUSES, Conversation, Message
from .dismissal import DISMISS_KINDS, DISMISS_REASONS, Dismissal
from .follow import Follow
from .invitation import INVITATION_STATUSES, INVITATION_TTL, TeamInvitation
from .notification import NOTIFICATION_MODES, Notification, NotificationPreference
from .opportunity import (
    APPLICATION_STATUSES,
    FINAL_APPLICATION_STATUSES,
    OPPORTUNITY_TYPES,
    Application,
    Opportunity,
)
from .outbox import OUTBOX_KINDS, OutboxMessage, PublicEventCount, TaskJob
from .saved import SAVED_KINDS, SavedItem
from .saved_search import SavedSearch, SavedSearchMatch
from .session import UserSession
from .skill import Skill, opportunity_skills, startup_skills, user_skills
from .startup import STAGES, TRACTION_FIELDS, InvestorInterest, Startup, StartupMember
from .startup_update import StartupUpdate
from .types import UTCDateTime, utcnow
from .user import ROLES, ApiToken, InvestorIndustry, InvestorStage, User

__all__ = [
    "ACTION_TYPES", "APPLICATION_STATUSES", "DISMISS_KINDS", "DISMISS_REASONS", "Dismissal",
    "FINAL_APPLICATION_STATUSES", "OPPORTUNITY_TYPES",
    "NOTIFICATION_MODES", "OUTBOX_KINDS", "ROLES", "STAGES", "TRACTION_FIELDS",
    "ActivityEvent", "ApiToken", "Application", "EventAudience", "Feed", "Follow",
    "InvestorIndustry", "InvestorInterest", "InvestorStage", "Notification", "NotificationPreference", "Opportunity",
    "OutboxMessage", "PublicEventCount", "TaskJob",
    "SavedSearch", "SavedSearchMatch", "Skill", "Startup", "StartupMember", "UTCDateTime", "User", "UserSession",
    "INVITATION_STATUSES", "INVITATION_TTL", "SAVED_KINDS", "SavedItem", "StartupUpdate", "TeamInvitation",
    "opportunity_skills", "startup_skills", "user_skills", "utcnow",
    "Block", "CONNECTION_STATUSES", "CONVERSATION_STATUSES", "Connection", "Conversation", "Message", "pair",
]
