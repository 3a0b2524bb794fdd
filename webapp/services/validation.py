"""Validate service input against the shared schemas."""

from marshmallow import Schema, ValidationError

from .errors import ValidationFailed


def load(schema: Schema, data, partial: bool = False) -> dict:
    """Return the validated data or raise ValidationFailed with per-field messages."""
    try:
        return schema.load(data if data is not None else {}, partial=partial)
    except ValidationError as exc:
        messages = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        raise ValidationFailed(messages) from None
