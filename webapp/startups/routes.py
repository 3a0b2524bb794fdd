"""Startups: list, page, create, edit, traction, follow, interest."""

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from ..main.actions import run_action
from ..main.listing import choice_arg, filter_args, paginate, text_arg
from ..models import STAGES, TRACTION_FIELDS
from ..services import follows, startups
from ..services.errors import ValidationFailed
from ..web import form_data, render
from . import bp
from .page import page_context, social_context

DETAIL_FIELDS = ("name", "tagline", "description", "industry", "stage", "location", "website", "skills_needed")


def _startup(slug: str):
    return startups.find_startup(slug, current_user if current_user.is_authenticated else None)


@bp.route("/startups")
def index():
    filters = {"industry": text_arg("industry"), "stage": choice_arg("stage", STAGES)}
    page = paginate(startups.list_startups, **filters)
    return render(
        "startups/index.html", block="results", page=page, filters=filters, stages=STAGES,
        industries=startups.industries(), args=filter_args("industry", "stage"),
    )


@bp.route("/startups/<slug>")
def show(slug: str):
    return render("startups/show.html", **page_context(_startup(slug)))


def _details_values(startup) -> dict:
    values = {name: getattr(startup, name) for name in DETAIL_FIELDS if name != "skills_needed"}
    values["skills_needed"] = ", ".join(startup.skill_names)
    return values


def _details_input(values: dict) -> dict:
    return {name: values[name] for name in DETAIL_FIELDS if name in values}


@bp.route("/startups/new", methods=["GET", "POST"])
@login_required
def create():
    values, errors = {"stage": "idea"}, {}
    if request.method == "POST":
        values = form_data(request.form)
        try:
            startup = startups.create_startup(current_user, _details_input(values))
        except ValidationFailed as exc:
            errors = exc.fields
        else:
            flash(f"{startup.name} is live. Post an opportunity to find your team.", "success")
            return redirect(url_for("startups.show", slug=startup.slug))
    return render("startups/form.html", startup=None, values=values, errors=errors, stages=STAGES,
                  status=422 if errors else 200)


@bp.route("/startups/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    startup = _startup(slug)
    startups.require_member(startup, current_user)
    values, errors = _details_values(startup), {}
    if request.method == "POST":
        values = form_data(request.form)
        try:
            startups.update_startup(startup, current_user, _details_input(values))
        except ValidationFailed as exc:
            errors = exc.fields
        else:
            flash("Startup saved.", "success")
            return redirect(url_for("startups.show", slug=startup.slug))
    return render("startups/form.html", startup=startup, values=values, errors=errors, stages=STAGES,
                  status=422 if errors else 200)


@bp.route("/startups/<slug>/traction", methods=["GET", "POST"])
@login_required
def traction(slug: str):
    startup = _startup(slug)
    startups.require_member(startup, current_user)
    values, errors = {name: getattr(startup, name) for name in TRACTION_FIELDS}, {}
    if request.method == "POST":
        values = form_data(request.form)
        # A field left empty keeps its current figure.
        data = {name: values[name] for name in TRACTION_FIELDS if values.get(name, "").strip()}
        try:
            startups.update_traction(startup, current_user, data)
        except ValidationFailed as exc:
            errors = exc.fields.get("traction", exc.fields) if isinstance(exc.fields, dict) else {}
        else:
            flash("Traction updated.", "success")
            return redirect(url_for("startups.show", slug=startup.slug))
    return render("startups/traction.html", startup=startup, values=values, errors=errors,
                  status=422 if errors else 200)


@bp.route("/startups/<slug>/follow", methods=["POST"])
@login_required
def follow(slug: str):
    startup = _startup(slug)
    back = url_for("startups.show", slug=startup.slug)
    response = run_action(lambda: follows.follow(current_user, startup), f"You now follow {startup.name}.", back)
    return response or render("startups/show.html", block="follow", **social_context(startup))


@bp.route("/startups/<slug>/unfollow", methods=["POST"])
@login_required
def unfollow(slug: str):
    startup = _startup(slug)
    back = url_for("startups.show", slug=startup.slug)
    response = run_action(lambda: follows.unfollow(current_user, startup), f"You unfollowed {startup.name}.", back)
    return response or render("startups/show.html", block="follow", **social_context(startup))


@bp.route("/startups/<slug>/interest", methods=["POST"])
@login_required
def interest(slug: str):
    startup = _startup(slug)
    back = url_for("startups.show", slug=startup.slug)
    message = f"{startup.name}'s team now knows you are interested."
    response = run_action(lambda: startups.mark_interest(current_user, startup), message, back)
    return response or render("startups/show.html", block="interest", **social_context(startup))


@bp.route("/startups/<slug>/interest/withdraw", methods=["POST"])
@login_required
def withdraw_interest(slug: str):
    startup = _startup(slug)
    back = url_for("startups.show", slug=startup.slug)
    message = f"You withdrew your interest in {startup.name}."
    response = run_action(lambda: startups.withdraw_interest(current_user, startup), message, back)
    return response or render("startups/show.html", block="interest", **social_context(startup))
