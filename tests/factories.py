"""Build test data through the service layer, so every row comes with its events."""

from itertools import count

from webapp.models import User
from webapp.services import accounts, opportunities, profiles, startups

PASSWORD = "correct horse battery staple"
_sequence = count(1)


def make_user(role: str = "talent", username: str | None = None, **profile) -> User:
    """Sign a user up and fill in their profile."""
    n = next(_sequence)
    username = username or f"{role}{n}"
    user = accounts.sign_up(
        {"username": username, "email": f"{username.lower()}@example.com", "password": PASSWORD, "role": role}
    )
    if profile:
        profiles.update_profile(user, profile)
    return user


def make_startup(founder: User | None = None, **fields):
    """Create a startup (and a founder when none is given)."""
    founder = founder or make_user("founder")
    n = next(_sequence)
    data = {"name": f"Startup {n}", "industry": "fintech", "stage": "seed"} | fields
    return startups.create_startup(founder, data)


def make_opportunity(startup=None, author: User | None = None, **fields):
    """Post an opportunity at `startup` (created when none is given)."""
    if startup is None:
        startup = make_startup(author)
    author = author or startup.members[0]
    data = {"startup": startup.slug, "title": f"Engineer {next(_sequence)}", "type": "full_time"} | fields
    return opportunities.post_opportunity(author, data)


def token_for(user: User) -> str:
    """Create an API token for `user` and return its plain value."""
    _, plain = accounts.create_token(user, {"name": "tests"})
    return plain


class ApiCaller:
    """Call /api/v1/ as a given user with a Bearer token."""

    def __init__(self, app):
        self.client = app.test_client()
        self._tokens: dict[int, str] = {}

    def _headers(self, user: User | None) -> dict:
        if user is None:
            return {}
        if user.id not in self._tokens:
            self._tokens[user.id] = token_for(user)
        return {"Authorization": f"Bearer {self._tokens[user.id]}"}

    def get(self, path: str, user: User | None = None, **kwargs):
        return self.client.get(path, headers=self._headers(user), **kwargs)

    def post(self, path: str, user: User | None = None, json=None, **kwargs):
        return self.client.post(path, headers=self._headers(user), json=json, **kwargs)

    def patch(self, path: str, user: User | None = None, json=None, **kwargs):
        return self.client.patch(path, headers=self._headers(user), json=json, **kwargs)

    def delete(self, path: str, user: User | None = None, json=None, **kwargs):
        return self.client.delete(path, headers=self._headers(user), json=json, **kwargs)
