"""Inputs of the recommendation endpoints: which list, how long, and "not interested"."""

from marshmallow import EXCLUDE, Schema, fields, pre_load, validate

from ..models import DISMISS_KINDS, DISMISS_REASONS
from ..recommendations import KINDS, MAX_LIMIT
from .inputs import InputSchema

MAX_ID = 2**31 - 1


class RecommendationQuerySchema(Schema):
    """Query string of a list: unknown parameters are ignored, as for any GET."""

    class Meta:
        unknown = EXCLUDE

    type = fields.String(load_default=None, validate=validate.OneOf(sorted(KINDS)))
    limit = fields.Integer(load_default=10, validate=validate.Range(min=1, max=MAX_LIMIT))

    @pre_load
    def drop_empty(self, data, **kwargs):
        # `?type=&limit=` means "the defaults", not an error.
        return {key: value for key, value in dict(data).items() if value not in ("", None)}


class DismissSchema(InputSchema):
    kind = fields.String(required=True, validate=validate.OneOf(DISMISS_KINDS))
    id = fields.Integer(required=True, validate=validate.Range(min=1, max=MAX_ID))
    reason = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(DISMISS_REASONS))

    @pre_load
    def empty_reason(self, data, **kwargs):
        # The form's "Why? (optional)" choice posts an empty reason.
        if isinstance(data, dict) and data.get("reason") == "":
            data = {**data, "reason": None}
        return data


class UndismissSchema(DismissSchema):
    class Meta:
        exclude = ("reason",)
        unknown = EXCLUDE
