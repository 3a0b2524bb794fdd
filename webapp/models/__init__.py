"""Domain models, one aggregate per module."""

from .activity import ACTION_TYPES, ActivityEvent, EventAudience, Feed
from .dismissal import DISMISS_KINDS, DISMISS_REASONS, Dismissal
from .follow import Follow
from .notification import NOTIFICATION_MODES, Notification, NotificationPreference
from .opportunity import (
    APPLICATION_STATUSES,
    FINAL_APPLICATION_STATUSES,
    OPPORTUNITY_TYPES,
    Application,
    Opportunity,
)
from .session import UserSession
from .skill import Skill, opportunity_skills, startup_skills, user_skills
from .startup import STAGES, TRACTION_FIELDS, InvestorInterest, Startup, StartupMember
from .types import UTCDateTime, utcnow
from .user import ROLES, ApiToken, InvestorIndustry, InvestorStage, User

__all__ = [
    "ACTION_TYPES", "APPLICATION_STATUSES", "DISMISS_KINDS", "DISMISS_REASONS", "Dismissal",
    "FINAL_APPLICATION_STATUSES", "OPPORTUNITY_TYPES",
    "NOTIFICATION_MODES", "ROLES", "STAGES", "TRACTION_FIELDS",
    "ActivityEvent", "ApiToken", "Application", "EventAudience", "Feed", "Follow",
    "InvestorIndustry", "InvestorInterest", "InvestorStage", "Notification", "NotificationPreference", "Opportunity",
    "Skill", "Startup", "StartupMember", "UTCDateTime", "User", "UserSession",
    "opportunity_skills", "startup_skills", "user_skills", "utcnow",
]
