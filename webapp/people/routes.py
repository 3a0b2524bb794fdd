"""People: list, profile, follow, edit profile."""

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from ..main.actions import run_action
from ..main.listing import choice_arg, filter_args, paginate, text_arg
from ..models import ROLES, STAGES
from ..services import blocks, connections, follows, profiles
from ..services.errors import ValidationFailed
from ..services.startups import startups_of
from ..web import form_data, render
from . import bp


@bp.route("/people")
def index():
    filters = {"role": choice_arg("role", ROLES), "skill": text_arg("skill")}
    page = paginate(profiles.list_people, **filters)
    return render(
        "people/index.html", block="results", page=page, filters=filters, roles=ROLES,
        args=filter_args("role", "skill"),
    )


def _follow_context(user) -> dict:
    viewer = current_user if current_user.is_authenticated else None
    return {
        "profile": user,
        "following": viewer is not None and follows.is_following(viewer, user),
        "followers": follows.follower_count(user),
        "is_self": viewer is not None and viewer.id == user.id,
        "connection": connections.between(viewer.id, user.id) if viewer is not None else None,
        "blocking": viewer is not None and blocks.is_blocked(viewer.id, user.id),
    }


@bp.route("/users/<username>")
def profile(username: str):
    user = profiles.get_user(username)
    return render("people/profile.html", startups=startups_of(user), **_follow_context(user))


@bp.route("/users/<username>/follow", methods=["POST"])
@login_required
def follow(username: str):
    user = profiles.get_user(username)
    back = url_for("people.profile", username=user.username)
    response = run_action(lambda: follows.follow(current_user, user), f"You now follow {user.display_name}.", back)
    return response or render("people/profile.html", block="follow", **_follow_context(user))


@bp.route("/users/<username>/unfollow", methods=["POST"])
@login_required
def unfollow(username: str):
    user = profiles.get_user(username)
    back = url_for("people.profile", username=user.username)
    response = run_action(lambda: follows.unfollow(current_user, user), f"You unfollowed {user.display_name}.", back)
    return response or render("people/profile.html", block="follow", **_follow_context(user))


def _profile_values(user) -> dict:
    return {
        "name": user.name, "headline": user.headline, "bio": user.bio, "location": user.location,
        "skills": ", ".join(user.skill_names), "open_to_work": user.open_to_work,
        "industries": ", ".join(row.industry for row in user.investor_industries),
        "stages": [row.stage for row in user.investor_stages],
        "cheque_min": "" if user.cheque_min is None else user.cheque_min,
        "cheque_max": "" if user.cheque_max is None else user.cheque_max,
    }


def _profile_input(user) -> dict:
    """Shape the posted form like the API's profile body (investor preferences nested)."""
    values = form_data(request.form, booleans=("open_to_work",), lists=("stages",))
    # Only what the form carried: a field it did not send stays as it is.
    data = {name: values[name] for name in ("name", "headline", "bio", "location", "skills") if name in values}
    if user.role == "talent":
        data["open_to_work"] = values["open_to_work"]
    if user.role == "investor":
        investor = {name: values[name] for name in ("industries", "cheque_min", "cheque_max") if name in values}
        data["investor"] = investor | {"stages": values["stages"]}
    return values, data


def _flat_errors(fields: dict) -> dict:
    """Show nested investor errors next to their own inputs."""
    errors = dict(fields or {})
    investor = errors.pop("investor", None)
    if isinstance(investor, dict):
        errors.update(investor)
    elif investor:
        errors["_schema"] = investor
    return errors


@bp.route("/settings/profile", methods=["GET", "POST"])
@login_required
def edit_profile():
    values, errors = _profile_values(current_user), {}
    if request.method == "POST":
        values, data = _profile_input(current_user)
        try:
            changed = profiles.update_profile(current_user, data)
        except ValidationFailed as exc:
            errors = _flat_errors(exc.fields)
        else:
            flash("Profile saved." if changed else "Nothing changed.", "success" if changed else "info")
            return redirect(url_for("people.profile", username=current_user.username))
    return render(
        "people/edit.html", values=values, errors=errors, stages=STAGES, status=422 if errors else 200
    )
