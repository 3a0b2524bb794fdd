"""API: your saved startups and opportunities (private bookmarks)."""

from flask.views import MethodView
from marshmallow import fields, validate

from ..models import SAVED_KINDS
from ..schemas.collaboration import SavedItemOut, SavedPageOut, SavedSchema
from ..services import saved
from .auth import api_blueprint, current_user
from .paging import PageArgs, page, window

blp = api_blueprint("api_saved", __name__, "Saved items: private bookmarks of startups and opportunities.")
TAGS = ["saved"]


class SavedListArgs(PageArgs):
    kind = fields.String(validate=validate.OneOf(SAVED_KINDS))


@blp.route("/saved/", tags=TAGS)
class Saved(MethodView):
    @blp.arguments(SavedListArgs, location="query")
    @blp.response(200, SavedPageOut)
    def get(self, args):
        """List your saved items, newest first (only you ever see them)."""
        limit, offset = window(args)
        viewer, kind = current_user(), args.get("kind")
        return page(saved.list_saved(viewer, kind, limit=limit, offset=offset), saved.count_saved(viewer, kind), args)

    @blp.arguments(SavedSchema)
    @blp.response(201, SavedItemOut)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="Already saved.")
    def post(self, data):
        """Save a startup ({"startup": slug}) or an opportunity ({"opportunity": id})."""
        return saved.save(current_user(), saved.resolve(current_user(), data))

    @blp.arguments(SavedSchema)
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND", description="No such target, or you have not saved it.")
    def delete(self, data):
        """Remove a saved startup or opportunity."""
        saved.unsave(current_user(), saved.resolve(current_user(), data))
