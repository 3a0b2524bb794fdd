"""API: startups (create, list, read, edit) and investor interest."""

from flask.views import MethodView
from marshmallow import validate

from ..models import STAGES
from ..schemas.fields import TrimmedString
from ..schemas.inputs import StartupSchema
from ..schemas.outputs import InterestOut, StartupOut, StartupPageOut
from ..services import startups
from .auth import api_blueprint, current_user
from .paging import PageArgs, page, window

blp = api_blueprint("api_startups", __name__, "Startups: create, list, read and edit; investor interest.")
TAGS = ["startups"]


class StartupPatch(StartupSchema):
    """The create body with every field optional: a PATCH changes only what it sends."""


class StartupListArgs(PageArgs):
    industry = TrimmedString(validate=validate.Length(max=50))
    stage = TrimmedString(validate=validate.OneOf(STAGES))


@blp.route("/startups/", tags=TAGS)
class Startups(MethodView):
    @blp.arguments(StartupListArgs, location="query")
    @blp.response(200, StartupPageOut)
    def get(self, args):
        """List visible startups, most recently active first."""
        limit, offset = window(args)
        filters = {"industry": args.get("industry"), "stage": args.get("stage")}
        results = startups.list_startups(**filters, limit=limit, offset=offset)
        return page(results, startups.count_startups(**filters), args)

    @blp.arguments(StartupSchema)
    @blp.response(201, StartupOut)
    @blp.alt_response(422, response="UNPROCESSABLE_CONTENT")
    def post(self, data):
        """Create a startup; the caller becomes its first member."""
        return startups.create_startup(current_user(), data)


@blp.route("/startups/<slug>", tags=TAGS)
class StartupDetail(MethodView):
    @blp.response(200, StartupOut)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, slug):
        """Read a startup."""
        return startups.get_startup(slug, current_user())

    @blp.arguments(StartupPatch(partial=True))
    @blp.response(200, StartupOut)
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    def patch(self, data, slug):
        """Edit a startup's details or traction (members only)."""
        startup = startups.get_startup(slug, current_user())
        return startups.update_startup(startup, current_user(), data)


@blp.route("/startups/<slug>/interest", tags=TAGS)
class Interest(MethodView):
    @blp.response(201, InterestOut, description="Interest marked.")
    @blp.alt_response(200, schema=InterestOut, description="Interest was already marked.", success=True)
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, slug):
        """Mark interest in a startup (investors only); visible to you and its members."""
        startup = startups.get_startup(slug, current_user())
        created = startups.mark_interest(current_user(), startup)
        return {"startup": startup, "interested": True}, 201 if created else 200

    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND")
    def delete(self, slug):
        """Withdraw a mark of interest."""
        startup = startups.get_startup(slug, current_user())
        startups.withdraw_interest(current_user(), startup)
