"""Input bodies for notifications: mark read, per-kind preferences."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..models import NOTIFICATION_MODES

MAX_IDS = 500


class MarkReadSchema(Schema):
    ids = fields.List(fields.Integer(strict=True, validate=validate.Range(min=1, max=2**31 - 1)),
                      validate=validate.Length(max=MAX_IDS))
    all = fields.Boolean(truthy={True}, falsy={False})

    @validates_schema
    def one_of(self, data, **kwargs):
        if not data.get("ids") and not data.get("all"):
            raise ValidationError('Send {"ids": [...]} or {"all": true}.', field_name="_schema")


def preferences_schema(kinds) -> Schema:
    """Build the schema for {kind: mode} over the kinds that exist."""
    mode = validate.OneOf(NOTIFICATION_MODES)
    return Schema.from_dict({kind: fields.String(validate=mode) for kind in kinds}, name="PreferencesSchema")()
