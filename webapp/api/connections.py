"""API: connections (request, accept, decline, remove) and blocks."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate

from ..schemas.messaging import BlockOut, ConnectionListOut, ConnectionOut, UserRefSchema
from ..services import blocks, connections
from ..services.targets import person
from .auth import api_blueprint, current_user

blp = api_blueprint("connections_api", __name__, "Connections between users, and blocks.")


class ConnectionQuery(Schema):
    status = fields.String(validate=validate.OneOf(("pending", "accepted")))


@blp.route("/connections/", tags=["connections"])
class Connections(MethodView):
    @blp.arguments(ConnectionQuery, location="query")
    @blp.response(200, ConnectionListOut)
    def get(self, query):
        """Your connections and pending requests (`direction`: incoming, outgoing or connected)."""
        viewer = current_user()
        rows = connections.list_for(viewer, query.get("status"))
        return {"count": len(rows), "results": [connections.serialize(row, viewer) for row in rows]}

    @blp.arguments(UserRefSchema)
    @blp.response(201, ConnectionOut)
    @blp.alt_response(200, schema=ConnectionOut, description="They had already asked you: now you are connected.")
    @blp.alt_response(403, response="FORBIDDEN", description="You can't contact this user.")
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="Already asked, or already connected.")
    def post(self, data):
        """Ask `{"user": username}` to connect; if they had asked you, this accepts (one connection)."""
        viewer = current_user()
        row = connections.request(viewer, connections.resolve_user(data))
        return connections.serialize(row, viewer), 200 if row.status == "accepted" else 201


def _answer(connection_id: int, action):
    viewer = current_user()
    row = connections.get_for(viewer, connection_id)
    return viewer, action(viewer, row)


@blp.route("/connections/<int:connection_id>/accept", methods=["POST"], tags=["connections"])
@blp.response(200, ConnectionOut)
@blp.alt_response(403, response="FORBIDDEN", description="Only the person asked may accept.")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="Already connected.")
def connection_accept(connection_id: int):
    """Accept a request made to you; records `connection_made` with you as the actor."""
    viewer, row = _answer(connection_id, connections.accept)
    return connections.serialize(row, viewer)


@blp.route("/connections/<int:connection_id>/decline", methods=["POST"], tags=["connections"])
@blp.response(204)
@blp.alt_response(403, response="FORBIDDEN", description="Only the person asked may decline.")
@blp.alt_response(404, response="NOT_FOUND")
@blp.alt_response(409, response="CONFLICT", description="Already answered.")
def connection_decline(connection_id: int):
    """Decline a request made to you."""
    _answer(connection_id, connections.decline)


@blp.route("/connections/<int:connection_id>", methods=["DELETE"], tags=["connections"])
@blp.response(204)
@blp.alt_response(403, response="FORBIDDEN", description="A request made to you is declined, not deleted.")
@blp.alt_response(404, response="NOT_FOUND")
def connection_delete(connection_id: int):
    """Remove a connection, or withdraw your own pending request."""
    _answer(connection_id, connections.remove)


@blp.route("/blocks/", tags=["connections"])
class Blocks(MethodView):
    @blp.response(200, BlockOut(many=True))
    def get(self):
        """The users you block."""
        return [{"user": person(row_user), "created_at": row.created_at.isoformat()}
                for row, row_user in _blocked(current_user())]

    @blp.arguments(UserRefSchema)
    @blp.response(201, BlockOut)
    @blp.alt_response(404, response="NOT_FOUND")
    def post(self, data):
        """Block `{"user": username}`: their messages and requests are refused, a connection ends."""
        user = connections.resolve_user(data)
        row = blocks.block(current_user(), user)
        return {"user": person(user), "created_at": row.created_at.isoformat()}

    @blp.arguments(UserRefSchema)
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND", description="No such user, or not blocked.")
    def delete(self, data):
        """Unblock a user."""
        blocks.unblock(current_user(), connections.resolve_user(data))


def _blocked(viewer):
    return [(row, row.blocked) for row in blocks.blocked_users(viewer)]

