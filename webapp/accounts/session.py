"""Load the signed-in user from the session cookie (Flask-Login)."""

from ..extensions import db, login_manager
from ..models import User

login_manager.login_view = "accounts.login"
login_manager.login_message = "Please log in to continue."
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Accept the session only if its version matches the user's current one."""
    user_id, _, version = (session_id or "").partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.is_suspended or user.session_version != int(version):
        return None
    return user
