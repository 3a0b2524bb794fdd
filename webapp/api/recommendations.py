"""GET /api/v1/recommendations/ and "not interested" (SPEC §3.5, §3.7)."""

from flask import g, request

from ..services import recommendations
from .auth import api_blueprint

# register_api mounts every API blueprint at /api/v1 (that url_prefix replaces a blueprint's own).
blp = api_blueprint("recommendations_api", __name__, "Recommendations with their reasons, and dismissals.")


def _item(recommendation) -> dict:
    return {
        "kind": recommendation.kind, "id": recommendation.id, "title": recommendation.title,
        "url": recommendation.url, "score": recommendation.score, "reasons": recommendation.reasons,
        "score_parts": recommendation.score_parts,
    }


def _dismissal(dismissal) -> dict:
    return {"kind": dismissal.kind, "id": dismissal.target_id, "reason": dismissal.reason,
            "created_at": dismissal.created_at.isoformat()}


@blp.route("/recommendations/", methods=["GET"])
def list_recommendations():
    """List the viewer's recommendations: ?type= (default: the role's kind) and ?limit= (1–50, default 10)."""
    result = recommendations.recommendations_for(g.api_user, request.args)
    return {"type": result.type, "recommendations": [_item(item) for item in result.items]}


@blp.route("/recommendations/dismiss", methods=["POST"])
def dismiss():
    """Say "not interested": {"kind": "startup"|"user"|"opportunity", "id", "reason"?}. 201, or 200 if already."""
    dismissal, created = recommendations.dismiss(g.api_user, request.get_json(silent=True))
    return _dismissal(dismissal), 201 if created else 200


@blp.route("/recommendations/dismiss", methods=["DELETE"])
def undismiss():
    """Undo a dismissal: {"kind", "id"}. 204, or 404 when there is none."""
    recommendations.undismiss(g.api_user, request.get_json(silent=True))
    return "", 204


@blp.route("/recommendations/dismissed", methods=["GET"])
def dismissed():
    """List what the viewer dismissed, newest first."""
    rows = recommendations.list_dismissals(g.api_user)
    return {"dismissed": [
        {"kind": row["kind"], "id": row["id"], "title": row["title"], "url": row["url"], "reason": row["reason"],
         "created_at": row["created_at"].isoformat()}
        for row in rows
    ]}
