"""Optional gates for operator endpoints: a bearer token and/or allowed client networks."""

import hmac
import ipaddress

from flask import current_app, request


def _networks(value) -> list:
    if not value:
        return []
    items = value.split(",") if isinstance(value, str) else value
    return [ipaddress.ip_network(item.strip(), strict=False) for item in items if item.strip()]


def client_allowed(networks_setting: str) -> bool:
    """Whether the client address is inside the networks configured under `networks_setting`."""
    networks = _networks(current_app.config.get(networks_setting))
    if not networks:
        return True
    try:
        address = ipaddress.ip_address(request.remote_addr or "")
    except ValueError:
        return False
    return any(address in network for network in networks)


def bearer_allowed(token_setting: str) -> bool:
    """Whether the request carries the bearer token configured under `token_setting` (if one is)."""
    expected = current_app.config.get(token_setting)
    if not expected:
        return True
    scheme, _, given = (request.headers.get("Authorization") or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), expected.encode())
