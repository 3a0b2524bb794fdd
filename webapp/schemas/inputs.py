"""Write bodies shared by the JSON API, the HTML forms and the importer (SPEC §3.7, §3.8)."""

import re

from marshmallow import Schema, ValidationError, fields, pre_load, validate, validates_schema

from ..models import APPLICATION_STATUSES, OPPORTUNITY_TYPES, ROLES, STAGES
from ..security.passwords import weakness
from .fields import Tags, TrimmedString

USERNAME = validate.Regexp(
    r"^[A-Za-z0-9_-]{3,30}$", error="3 to 30 letters, digits, underscores or hyphens."
)
SLUG = validate.Regexp(
    r"^[a-z0-9]+(?:-[a-z0-9]+)*$", error="Lowercase letters, digits and single hyphens."
)
WEB_URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)


class InputSchema(Schema):
    """Base for write bodies: forms send "" for an empty number, which means no value."""

    @pre_load
    def empty_strings_to_none(self, data, **kwargs):
        if not isinstance(data, dict):
            raise ValidationError("The body must be a JSON object.", field_name="_schema")
        cleaned = dict(data)
        for name, field in self.fields.items():
            if name in cleaned and cleaned[name] == "" and isinstance(field, fields.Number):
                cleaned[name] = None
        return cleaned


def text(max_length: int, required: bool = False, min_length: int = 0) -> TrimmedString:
    """Return a trimmed string field with a length limit."""
    return TrimmedString(required=required, validate=validate.Length(min=min_length, max=max_length))


class SignUpSchema(InputSchema):
    username = TrimmedString(required=True, validate=USERNAME)
    email = TrimmedString(required=True, validate=[validate.Email(), validate.Length(max=254)])
    password = fields.String(
        required=True,
        validate=validate.Length(min=10, max=1024, error="Use 10 to 1024 characters."),
    )
    role = fields.String(required=True, validate=validate.OneOf(ROLES))

    @validates_schema
    def not_guessable(self, data, **kwargs):
        password = data.get("password")
        if not password or not 10 <= len(password) <= 1024:
            return
        problem = weakness(password, data.get("username") or "", data.get("email") or "")
        if problem:
            raise ValidationError(problem, field_name="password")


class InvestorPreferencesSchema(InputSchema):
    industries = Tags(load_default=None)
    stages = fields.List(fields.String(validate=validate.OneOf(STAGES)), load_default=None)
    cheque_min = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=10**12))
    cheque_max = fields.Integer(allow_none=True, validate=validate.Range(min=0, max=10**12))

    @validates_schema
    def cheque_range(self, data, **kwargs):
        low, high = data.get("cheque_min"), data.get("cheque_max")
        if low is not None and high is not None and low > high:
            raise ValidationError("Must not be below the minimum.", field_name="cheque_max")


class ProfileSchema(InputSchema):
    name = text(100)
    headline = text(160)
    bio = text(5000)
    location = text(100)
    skills = Tags()
    open_to_work = fields.Boolean()
    investor = fields.Nested(InvestorPreferencesSchema)


class TractionSchema(InputSchema):
    monthly_active_users = fields.Integer(validate=validate.Range(min=0, max=10**11))
    mrr = fields.Integer(validate=validate.Range(min=0, max=10**12))
    growth_rate = fields.Float(validate=validate.Range(min=-1, max=100), allow_nan=False)
    funding_raised = fields.Integer(validate=validate.Range(min=0, max=10**13))
    team_size = fields.Integer(validate=validate.Range(min=1, max=100000))


class StartupSchema(InputSchema):
    slug = TrimmedString(validate=[validate.Length(max=60), SLUG])
    name = text(100, required=True, min_length=1)
    tagline = text(160)
    description = text(10000)
    industry = text(50)
    stage = fields.String(validate=validate.OneOf(STAGES))
    location = text(100)
    website = text(200)
    skills_needed = Tags()
    traction = fields.Nested(TractionSchema)

    @validates_schema
    def website_is_web_url(self, data, **kwargs):
        website = data.get("website")
        if website and not WEB_URL.match(website):
            raise ValidationError("Must start with http:// or https://.", field_name="website")


class StartupImportSchema(StartupSchema):
    # The slug is the natural key an import line is matched on.
    slug = TrimmedString(required=True, validate=[validate.Length(max=60), SLUG])
    founders = fields.List(TrimmedString(validate=USERNAME), validate=validate.Length(min=1, max=20))


class OpportunitySchema(InputSchema):
    startup = TrimmedString(required=True, validate=SLUG)
    ref = TrimmedString(validate=validate.Length(min=1, max=100))
    title = text(120, required=True, min_length=1)
    description = text(10000)
    type = fields.String(validate=validate.OneOf(OPPORTUNITY_TYPES))
    location = text(100)
    remote = fields.Boolean()
    skills = Tags()
    compensation = text(120)
    status = fields.String(validate=validate.OneOf(("open", "closed")))


class OpportunityImportSchema(OpportunitySchema):
    # The ref is the natural key an import line is matched on.
    ref = TrimmedString(required=True, validate=validate.Length(min=1, max=100))


class ApplicationSchema(InputSchema):
    note = text(5000)


class ApplicationImportSchema(ApplicationSchema):
    user = TrimmedString(required=True, validate=USERNAME)
    opportunity = TrimmedString(required=True, validate=validate.Length(min=1, max=100))


class ApplicationUpdateSchema(InputSchema):
    status = fields.String(required=True, validate=validate.OneOf(APPLICATION_STATUSES))
    feedback = text(5000)


class FollowSchema(InputSchema):
    user = TrimmedString(validate=USERNAME)
    startup = TrimmedString(validate=validate.Length(min=1, max=60))

    @validates_schema
    def exactly_one_target(self, data, **kwargs):
        if ("user" in data) == ("startup" in data):
            raise ValidationError("Give exactly one of 'user' or 'startup'.", field_name="_schema")


class FollowImportSchema(FollowSchema):
    follower = TrimmedString(required=True, validate=USERNAME)


class UserImportSchema(SignUpSchema, ProfileSchema):
    """An importer line for a user: sign-up fields plus the profile."""


class TokenSchema(InputSchema):
    name = text(100, required=True, min_length=1)


