"""API: applications the viewer made or received, and moving their status."""

from flask.views import MethodView

from ..schemas.inputs import ApplicationUpdateSchema
from ..schemas.outputs import ApplicationOut, ApplicationPageOut
from ..services import applications
from .auth import api_blueprint, current_user
from .paging import PageArgs, page, window

blp = api_blueprint("api_applications", __name__, "Applications: yours and those to your startups.")
TAGS = ["applications"]
ID = "int(max=2147483647)"


@blp.route("/applications/", tags=TAGS)
class Applications(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, ApplicationPageOut)
    def get(self, args):
        """List your own applications and those to your startups, newest first."""
        limit, offset = window(args)
        results = applications.applications_visible_to(current_user(), limit=limit, offset=offset)
        return page(results, applications.count_applications_visible_to(current_user()), args)


@blp.route(f"/applications/<{ID}:application_id>", tags=TAGS)
class ApplicationDetail(MethodView):
    @blp.response(200, ApplicationOut)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, application_id):
        """Read an application (the applicant and the startup's members only)."""
        return applications.get_application(application_id, current_user())

    @blp.arguments(ApplicationUpdateSchema)
    @blp.response(200, ApplicationOut)
    @blp.alt_response(403, response="FORBIDDEN")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="The application is already final.")
    def patch(self, data, application_id):
        """Move the status: members review (reviewing, shortlisted, accepted, rejected), the applicant withdraws."""
        application = applications.get_application(application_id, current_user())
        return applications.change_status(application, current_user(), data)
