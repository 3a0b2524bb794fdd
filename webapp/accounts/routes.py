"""Sign-up, log-in, log-out and the API tokens page."""

import hashlib

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter
from ..services import accounts, sessions
from ..services.errors import ServiceError, ValidationFailed
from ..web import form_data, render, safe_next
from . import bp


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_account_limit() -> str:
    return current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"]


def _login_account_key() -> str:
    # Per account, whatever address the guesses come from; a digest keeps names out of Redis keys.
    login = (request.form.get("username") or "").strip().lower()[:254]
    return "login-account:" + hashlib.sha256(login.encode()).hexdigest()


def _failed(response) -> bool:
    return response.status_code == 401


def _signup_limit() -> str:
    return current_app.config["SIGNUP_RATE_LIMIT"]


def _start_session(user) -> None:
    # A fresh session at log-in: nothing from before (e.g. a planted id) survives, and the
    # cookie carries a new server-side key.
    session.clear()
    user.session_key = sessions.start(user)
    login_user(user)


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(_signup_limit, methods=["POST"])
def signup():
    if current_user.is_authenticated:
        return redirect(url_for("main.home"))
    errors, values = {}, {"role": request.args.get("role", "talent")}
    if request.method == "POST":
        values = form_data(request.form)
        try:
            user = accounts.sign_up(values)
        except ValidationFailed as exc:
            errors = exc.fields
        else:
            _start_session(user)
            flash(f"Welcome to CollabHub, {user.username}! Tell people what you do.", "success")
            return redirect(url_for("people.edit_profile"))
    values.pop("password", None)
    return render("accounts/signup.html", errors=errors, values=values, status=422 if errors else 200)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
# Only failed attempts count against the account, so its owner is not locked out by their own log-ins.
@limiter.limit(_login_account_limit, methods=["POST"], key_func=_login_account_key, deduct_when=_failed)
def login():
    next_url = safe_next(request.values.get("next"))
    if current_user.is_authenticated:
        return redirect(next_url)
    error = None
    username = ""
    if request.method == "POST":
        username = (request.form.get("username") or "").strip()
        user = accounts.authenticate(username, request.form.get("password") or "")
        if user is None:
            # One message for unknown user and wrong password: no account enumeration.
            error = "Wrong username or password."
        else:
            _start_session(user)
            return redirect(next_url)
    return render(
        "accounts/login.html", error=error, username=username, next_url=next_url, status=401 if error else 200
    )


@bp.route("/logout", methods=["POST"])
def logout():
    # The server forgets the key: a copy of this cookie taken earlier is refused from now on.
    sessions.end(getattr(current_user, "session_key", None))
    logout_user()
    session.clear()
    flash("You are logged out.", "info")
    return redirect(url_for("main.home"))


@bp.route("/settings/tokens", methods=["GET", "POST"])
@login_required
def tokens():
    new_token, errors = None, {}
    if request.method == "POST":
        try:
            _, new_token = accounts.create_token(current_user, form_data(request.form))
        except ValidationFailed as exc:
            errors = exc.fields
    return render(
        "accounts/tokens.html",
        tokens=accounts.list_tokens(current_user),
        new_token=new_token,
        errors=errors,
    )


@bp.route("/settings/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
def revoke_token(token_id: int):
    try:
        accounts.revoke_token(current_user, token_id)
        flash("Token revoked. Scripts using it will get 401 from now on.", "success")
    except ServiceError as exc:
        flash(exc.message, "error")
    return redirect(url_for("accounts.tokens"))


@bp.route("/settings/password", methods=["GET", "POST"])
@login_required
def password():
    errors = {}
    if request.method == "POST":
        try:
            accounts.change_own_password(current_user, request.form, keep_session=current_user.session_key)
        except ValidationFailed as exc:
            errors = exc.fields
        else:
            flash("Password changed. Every other session, API token and open tab has been signed out.", "success")
            return redirect(url_for("accounts.password"))
    return render("accounts/password.html", errors=errors, sessions=sessions.count(current_user),
                  status=422 if errors else 200)
