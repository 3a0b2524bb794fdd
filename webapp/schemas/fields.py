"""Custom marshmallow fields shared by the write schemas."""

import re

from marshmallow import ValidationError, fields

TAG_PATTERN = re.compile(r"^[a-z0-9][a-z0-9+#./ -]{0,49}$")
MAX_TAGS = 30


def normalise_tag(raw: str) -> str:
    """Lowercase a tag and collapse its whitespace."""
    return " ".join(raw.strip().lower().split())


class Tags(fields.Field):
    """A list of normalised lowercase tags; a comma-separated string is accepted too."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = value.split(",")
        if not isinstance(value, list | tuple):
            raise ValidationError("Must be a list of strings.")
        tags: list[str] = []
        for item in value:
            if not isinstance(item, str):
                raise ValidationError("Each tag must be a string.")
            tag = normalise_tag(item)
            if not tag:
                continue
            if not TAG_PATTERN.match(tag):
                raise ValidationError(
                    f"'{tag[:60]}' is not a valid tag: up to 50 letters, digits, spaces or + # . / -."
                )
            if tag not in tags:
                tags.append(tag)
        if len(tags) > MAX_TAGS:
            raise ValidationError(f"At most {MAX_TAGS} tags.")
        return tags

    def _serialize(self, value, attr, obj, **kwargs):
        return list(value or [])


class TrimmedString(fields.String):
    """A string with surrounding whitespace removed and NUL characters refused."""

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if "\x00" in value:
            raise ValidationError("Must not contain NUL characters.")
        return value.strip()
