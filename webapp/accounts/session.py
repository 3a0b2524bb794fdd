"""Load the signed-in user from the session cookie (Flask-Login) through the server-side session table."""

from ..extensions import login_manager
from ..models import User
from ..services import sessions

login_manager.login_view = "accounts.login"
login_manager.login_message = "Please log in to continue."
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"


@login_manager.user_loader
def load_user(session_key: str) -> User | None:
    """Accept the cookie only while its server-side session exists (log-out deletes it)."""
    user = sessions.user_for(session_key)
    if user is not None:
        user.session_key = session_key
    return user
