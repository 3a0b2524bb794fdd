"""Sign-up, log-in, log-out and the API tokens page."""

from flask import current_app, flash, redirect, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from ..extensions import limiter
from ..services import accounts
from ..services.errors import ServiceError, ValidationFailed
from ..web import form_data, render, safe_next
from . import bp


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _signup_limit() -> str:
    return current_app.config["SIGNUP_RATE_LIMIT"]


def _start_session(user) -> None:
    # A fresh session at log-in: nothing from before (e.g. a planted id) survives.
    session.clear()
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
