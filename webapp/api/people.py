"""API: your own profile, other users' public profiles, follows."""

from flask.views import MethodView

from ..models import User
from ..schemas.inputs import FollowSchema, ProfileSchema
from ..schemas.outputs import FollowOut, MeOut, ProfileOut
from ..services import follows, profiles
from .auth import api_blueprint, current_user

blp = api_blueprint("api_people", __name__, "People: your profile, public profiles and follows.")


@blp.route("/me", tags=["people"])
class Me(MethodView):
    @blp.response(200, MeOut)
    def get(self):
        """Read your own profile, with your account's private fields."""
        return current_user()

    @blp.arguments(ProfileSchema(partial=True))
    @blp.response(200, MeOut)
    @blp.alt_response(422, response="UNPROCESSABLE_CONTENT", description="Unknown or read-only fields.")
    def patch(self, data):
        """Edit your profile: name, headline, bio, location, skills, open_to_work, investor."""
        profiles.update_profile(current_user(), data)
        return current_user()


@blp.route("/users/<username>", tags=["people"])
class PublicProfile(MethodView):
    @blp.response(200, ProfileOut)
    @blp.alt_response(404, response="NOT_FOUND")
    def get(self, username):
        """Read a user's public profile."""
        return profiles.get_user(username)


@blp.route("/follows/", tags=["follows"])
class Follows(MethodView):
    @blp.arguments(FollowSchema)
    @blp.response(201, FollowOut)
    @blp.alt_response(404, response="NOT_FOUND")
    @blp.alt_response(409, response="CONFLICT", description="You already follow this.")
    def post(self, data):
        """Follow a user ({"user": username}) or a startup ({"startup": slug})."""
        target = follows.resolve_target(data, current_user())
        row = follows.follow(current_user(), target)
        kind = "user" if isinstance(target, User) else "startup"
        return {"follower": current_user(), kind: target, "created_at": row.created_at}

    @blp.arguments(FollowSchema)
    @blp.response(204)
    @blp.alt_response(404, response="NOT_FOUND", description="No such target, or you do not follow it.")
    def delete(self, data):
        """Stop following a user or a startup."""
        follows.unfollow(current_user(), follows.resolve_target(data, current_user()))
