"""Input body of a saved search: a name, the query text and facet filters."""

from marshmallow import ValidationError, fields, validate

from ..search.filters import DIMENSIONS
from .inputs import InputSchema, text


class FilterValues(fields.Field):
    """One filter dimension: a string or a list of strings (as the search's repeated parameters)."""

    def _deserialize(self, value, attr, data, **kwargs):
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list | tuple) or not all(isinstance(item, str) for item in values):
            raise ValidationError("Must be a string or a list of strings.")
        return list(values)


class SavedSearchSchema(InputSchema):
    name = text(100)
    # Not trimmed: a trailing space decides whether the last word matches as a prefix.
    q = fields.String(load_default="", validate=validate.Length(max=500))
    filters = fields.Dict(keys=fields.String(validate=validate.OneOf(DIMENSIONS)), values=FilterValues(),
                          load_default=dict)
