"""Shared set-up for the connection and messaging tests."""

from webapp.services import connections

from .factories import make_user


def connect(a, b) -> None:
    """Make `a` and `b` connections through the service layer."""
    connections.request(a, b)
    connections.request(b, a)


def pair_of_users(*names: str):
    return [make_user(username=name) for name in names]
