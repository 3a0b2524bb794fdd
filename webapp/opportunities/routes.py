"""Opportunities: list, page, post, close/reopen, apply, applications."""

from flask import flash, redirect, request, url_for
from flask_login import current_user, login_required

from ..main.actions import run_action
from ..main.listing import choice_arg, filter_args, paginate, text_arg
from ..models import OPPORTUNITY_TYPES
from ..services import applications, opportunities
from ..services.errors import ServiceError, ValidationFailed
from ..services.startups import find_startup, require_member
from ..web import form_data, render
from . import bp

# Ids are 32-bit in the database: a larger number in the URL is simply not found.
ID = "int(max=2147483647)"
FORM_FIELDS = ("title", "description", "type", "location", "remote", "skills", "compensation")
REMOTE = {"yes": True, "no": False}
STATUSES = {"open": "open", "closed": "closed", "all": None}


def _viewer():
    return current_user if current_user.is_authenticated else None


@bp.route("/opportunities")
def index():
    status = choice_arg("status", STATUSES) or "open"
    filters = {
        "type": choice_arg("type", OPPORTUNITY_TYPES),
        "remote": REMOTE.get(choice_arg("remote", REMOTE)),
        "skill": text_arg("skill"),
        "status": STATUSES[status],
    }
    page = paginate(opportunities.filter_opportunities, **filters)
    return render(
        "opportunities/index.html", block="results", page=page, filters=filters, status_filter=status,
        remote=choice_arg("remote", REMOTE), types=OPPORTUNITY_TYPES,
        args=filter_args("type", "remote", "skill", "status"),
    )


def _show(opportunity, status: int = 200, **extra):
    """Render an opportunity page with what this viewer may do there."""
    viewer = _viewer()
    context = {
        "opportunity": opportunity,
        "is_member": opportunity.startup.has_member(viewer),
        "application": viewer and applications.find_application(viewer, opportunity),
        "values": {},
        "errors": {},
        "apply_error": None,
    }
    return render("opportunities/show.html", status=status, **(context | extra))


@bp.route(f"/opportunities/<{ID}:opportunity_id>")
def show(opportunity_id: int):
    return _show(opportunities.get_opportunity(opportunity_id, _viewer()))


@bp.route(f"/opportunities/<{ID}:opportunity_id>/apply", methods=["POST"])
@login_required
def apply(opportunity_id: int):
    opportunity = opportunities.get_opportunity(opportunity_id, current_user)
    values = form_data(request.form)
    try:
        applications.apply(current_user, opportunity, {"note": values.get("note", "")})
    except ValidationFailed as exc:
        return _show(opportunity, status=422, values=values, errors=exc.fields)
    except ServiceError as exc:
        return _show(opportunity, status=exc.status, values=values, apply_error=exc.message)
    flash("Application sent. You will see the team's answer under My applications.", "success")
    return redirect(url_for("opportunities.show", opportunity_id=opportunity.id))


@bp.route(f"/opportunities/<{ID}:opportunity_id>/status", methods=["POST"])
@login_required
def set_status(opportunity_id: int):
    opportunity = opportunities.get_opportunity(opportunity_id, current_user)
    status = request.form.get("status")
    back = url_for("opportunities.show", opportunity_id=opportunity.id)
    message = "Opportunity closed to new applications." if status == "closed" else "Opportunity reopened."
    response = run_action(
        lambda: opportunities.update_opportunity(opportunity, current_user, {"status": status}), message, back
    )
    return response or redirect(back)


@bp.route("/startups/<slug>/opportunities/new", methods=["GET", "POST"])
@login_required
def create(slug: str):
    startup = find_startup(slug, current_user)
    require_member(startup, current_user)
    values, errors = {"type": "full_time"}, {}
    if request.method == "POST":
        values = form_data(request.form, booleans=("remote",))
        data = {name: values[name] for name in FORM_FIELDS if name in values} | {"startup": startup.slug}
        try:
            opportunity = opportunities.post_opportunity(current_user, data)
        except ValidationFailed as exc:
            errors = exc.fields
        else:
            flash("Opportunity posted. Applications will show up on its page.", "success")
            return redirect(url_for("opportunities.show", opportunity_id=opportunity.id))
    return render("opportunities/form.html", startup=startup, values=values, errors=errors,
                  types=OPPORTUNITY_TYPES, status=422 if errors else 200)


@bp.route(f"/opportunities/<{ID}:opportunity_id>/applications")
@login_required
def applicants(opportunity_id: int):
    opportunity = opportunities.get_opportunity(opportunity_id, current_user)
    rows = applications.applications_for(opportunity, current_user)
    return render("opportunities/applicants.html", opportunity=opportunity, applications=rows,
                  statuses=applications.MEMBER_STATUSES, errors={})


@bp.route(f"/applications/<{ID}:application_id>/status", methods=["POST"])
@login_required
def change_status(application_id: int):
    application = applications.get_application(application_id, current_user)
    opportunity = application.opportunity
    opportunities.require_visible(opportunity)
    data = {"status": request.form.get("status", "")}
    if "feedback" in request.form:
        data["feedback"] = request.form["feedback"]
    back = url_for("opportunities.applicants", opportunity_id=opportunity.id)
    try:
        response = run_action(
            lambda: applications.change_status(application, current_user, data),
            f"{application.user.display_name}'s application is now {data['status']}.", back,
        )
    except ValidationFailed as exc:
        # Show the row again with the problem next to its inputs.
        return render("opportunities/applicants.html", block="row", status=422, application=application,
                      statuses=applications.MEMBER_STATUSES, errors=exc.fields)
    return response or render("opportunities/applicants.html", block="row", application=application,
                              statuses=applications.MEMBER_STATUSES, errors={})


@bp.route("/applications")
@login_required
def my_applications():
    return render("opportunities/my_applications.html", applications=applications.my_applications(current_user))


@bp.route(f"/applications/<{ID}:application_id>/withdraw", methods=["POST"])
@login_required
def withdraw(application_id: int):
    application = applications.get_application(application_id, current_user)
    back = url_for("opportunities.my_applications")
    response = run_action(
        lambda: applications.change_status(application, current_user, {"status": "withdrawn"}),
        f"You withdrew your application to {application.opportunity.title}.", back,
    )
    return response or render("opportunities/my_applications.html", block="row", application=application)
