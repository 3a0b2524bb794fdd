"""API: a startup's updates — read them, post one as a member."""

from flask.views import MethodView

from ..schemas.collaboration import StartupUpdateOut, StartupUpdatePageOut, StartupUpdateSchema
from ..services import startup_updates, startups
from .auth import api_blueprint, current_user
from .paging import PageArgs, page, window

blp = api_blueprint("api_startup_updates", __name__, "Startup updates: news posted by a startup's members.")
TAGS = ["startup updates"]


@blp.route("/startups/<slug>/updates/", tags=TAGS)
class StartupUpdates(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, StartupUpdatePageOut)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, args, slug):
        """List a startup's updates, newest first (`body_html` is sanitised Markdown)."""
        startup = startups.get_startup(slug, current_user())
        limit, offset = window(args)
        results = startup_updates.list_updates(startup, limit=limit, offset=offset)
        return page(results, startup_updates.count_updates(startup), args)

    @blp.arguments(StartupUpdateSchema)
    @blp.response(201, StartupUpdateOut)
    @blp.alt_response(403, response="FORBIDDEN", description="You are not a member of this startup.")
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, data, slug):
        """Post an update (members only); records `update_posted`, and `traction_updated` when traction is sent."""
        startup = startups.get_startup(slug, current_user())
        return startup_updates.post_update(startup, current_user(), data)
