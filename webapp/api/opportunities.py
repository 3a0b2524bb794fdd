"""API: opportunities (post, list, read, edit, close) and applying to them."""

from flask.views import MethodView
from marshmallow import fields, validate

from ..models import OPPORTUNITY_TYPES
from ..schemas.fields import TrimmedString
from ..schemas.inputs import ApplicationSchema, OpportunitySchema
from ..schemas.outputs import ApplicationOut, ApplicationPageOut, OpportunityOut, OpportunityPageOut
from ..services import applications, opportunities, startups
from .auth import api_blueprint, current_user
from .paging import PageArgs, page, window

blp = api_blueprint("api_opportunities", __name__, "Opportunities: post, list, read, edit and close; apply.")
TAGS = ["opportunities"]
# Ids beyond a 32-bit integer cannot exist: the route does not match them, which answers 404.
ID = "int(max=2147483647)"


class OpportunityPatch(OpportunitySchema):
    """The post body with every field optional: a PATCH changes only what it sends."""


class OpportunityListArgs(PageArgs):
    startup = TrimmedString(validate=validate.Length(min=1, max=60), metadata={"description": "A startup slug."})
    status = fields.String(
        load_default="open",
        validate=validate.OneOf(("open", "closed", "all")),
        metadata={"description": "Default open."},
    )
    type = fields.String(validate=validate.OneOf(OPPORTUNITY_TYPES))
    remote = fields.Boolean()


@blp.route("/opportunities/", tags=TAGS)
class Opportunities(MethodView):
    @blp.arguments(OpportunityListArgs, location="query")
    @blp.response(200, OpportunityPageOut)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args):
        """List visible opportunities, newest first."""
        limit, offset = window(args)
        filters = {
            "status": None if args["status"] == "all" else args["status"],
            "startup": startups.get_startup(args["startup"], current_user()) if args.get("startup") else None,
            "type": args.get("type"),
            "remote": args.get("remote"),
        }
        results = opportunities.list_opportunities(**filters, limit=limit, offset=offset)
        return page(results, opportunities.count_opportunities(**filters), args)

    @blp.arguments(OpportunitySchema)
    @blp.response(201, OpportunityOut)
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, data):
        """Post an opportunity at a startup you are a member of ("startup": its slug)."""
        return opportunities.post_opportunity(current_user(), data)


@blp.route(f"/opportunities/<{ID}:opportunity_id>", tags=TAGS)
class OpportunityDetail(MethodView):
    @blp.response(200, OpportunityOut)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, opportunity_id):
        """Read an opportunity."""
        return opportunities.get_opportunity(opportunity_id, current_user())

    @blp.arguments(OpportunityPatch(partial=True))
    @blp.response(200, OpportunityOut)
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    def patch(self, data, opportunity_id):
        """Edit an opportunity (members only); {"status": "closed"} closes it."""
        opportunity = opportunities.get_opportunity(opportunity_id, current_user())
        return opportunities.update_opportunity(opportunity, current_user(), data)


@blp.route(f"/opportunities/<{ID}:opportunity_id>/applications/", tags=["applications"])
class OpportunityApplications(MethodView):
    @blp.response(200, ApplicationPageOut)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, opportunity_id):
        """List the applications to an opportunity (its startup's members only)."""
        opportunity = opportunities.get_opportunity(opportunity_id, current_user())
        results = applications.applications_for(opportunity, current_user())
        return {"count": len(results), "results": results, "next": None, "previous": None}

    @blp.arguments(ApplicationSchema)
    @blp.response(201, ApplicationOut)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="Already applied, or the opportunity is closed.")
    def post(self, data, opportunity_id):
        """Apply to an open opportunity, once."""
        opportunity = opportunities.get_opportunity(opportunity_id, current_user())
        return applications.apply(current_user(), opportunity, data)
