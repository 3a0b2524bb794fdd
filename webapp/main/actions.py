"""Buttons that write: an htmx fragment when enhanced, a flash and a redirect back when not."""

from collections.abc import Callable

from flask import flash, redirect, request

from ..services.errors import ServiceError
from ..web import is_htmx, safe_next


def run_action(action: Callable[[], object], success: str, fallback_url: str):
    """Run `action`; return a redirect for a plain form post, None for htmx (caller renders).

    In an htmx request a ServiceError propagates, so the app renders the error fragment.
    """
    back = safe_next(request.form.get("next"), fallback_url)
    try:
        action()
    except ServiceError as exc:
        if is_htmx():
            raise
        flash(exc.message, "error")
        return redirect(back)
    if is_htmx():
        return None
    flash(success, "success")
    return redirect(back)
