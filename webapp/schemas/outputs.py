"""API representations (SPEC §3.7): what the JSON API answers, and what the OpenAPI document shows."""

from flask import has_request_context, request
from marshmallow import Schema, fields
from marshmallow.utils import missing

URL_DOC = {"type": "string", "format": "uri", "description": "The HTML page."}
STRINGS_DOC = {"type": "array", "items": {"type": "string"}}


def page_url(path: str) -> str:
    """Return the absolute URL of an HTML page at `path` (the page paths are pinned by SPEC §3.7)."""
    if not has_request_context():
        return path
    return request.url_root.rstrip("/") + path


class PageUrl(fields.Function):
    """The HTML page of the object being dumped, from a function giving its path."""

    def __init__(self, path_of, **kwargs):
        super().__init__(lambda obj: page_url(path_of(obj)), metadata=URL_DOC, **kwargs)


class Inline(fields.Nested):
    """Nest fields read from the object itself (a startup's traction block); None unless `when` holds."""

    def __init__(self, nested, when=None, **kwargs):
        super().__init__(nested, **kwargs)
        self.when = when

    def get_value(self, obj, attr, accessor=None, default=missing):
        return obj if self.when is None or self.when(obj) else None


def string_list(values_of, description: str) -> fields.Function:
    """A list of strings computed from the object."""
    return fields.Function(values_of, metadata=STRINGS_DOC | {"description": description})


class ErrorDetailOut(Schema):
    code = fields.String(metadata={"description": "Machine-readable code, e.g. not_found."})
    message = fields.String(metadata={"description": "What went wrong, for people."})
    fields_ = fields.Dict(
        data_key="fields", metadata={"description": "Per-field messages (validation errors only)."}
    )
    request_id = fields.String(
        allow_none=True, metadata={"description": "The X-Request-ID of the request, to quote in a support request."}
    )


class ErrorOut(Schema):
    """Every API error: {"error": {"code", "message", "fields"?}}."""

    error = fields.Nested(ErrorDetailOut)


class UserSummaryOut(Schema):
    id = fields.Integer()
    username = fields.String()
    name = fields.String()
    url = PageUrl(lambda user: f"/users/{user.username}")


class StartupSummaryOut(Schema):
    id = fields.Integer()
    slug = fields.String()
    name = fields.String()
    url = PageUrl(lambda startup: f"/startups/{startup.slug}")


class OpportunitySummaryOut(Schema):
    id = fields.Integer()
    title = fields.String()
    status = fields.String()
    startup = fields.Nested(StartupSummaryOut)
    url = PageUrl(lambda opportunity: f"/opportunities/{opportunity.id}")


class InvestorOut(Schema):
    industries = string_list(lambda user: [row.industry for row in user.investor_industries], "Preferred industries.")
    stages = string_list(lambda user: [row.stage for row in user.investor_stages], "Preferred stages.")
    cheque_min = fields.Integer(allow_none=True)
    cheque_max = fields.Integer(allow_none=True)


class ProfileOut(Schema):
    """A user's public profile (never the email)."""

    id = fields.Integer()
    username = fields.String()
    role = fields.String()
    name = fields.String()
    headline = fields.String()
    bio = fields.String()
    location = fields.String()
    skills = fields.List(fields.String(), attribute="skill_names")
    open_to_work = fields.Boolean()
    investor = Inline(
        InvestorOut,
        when=lambda user: user.role == "investor",
        allow_none=True,
        metadata={"description": "Investment focus; null unless the user is an investor."},
    )
    created_at = fields.DateTime()
    url = PageUrl(lambda user: f"/users/{user.username}")


class MeOut(ProfileOut):
    """The signed-in user's own profile: the public one plus private account fields."""

    email = fields.String()
    is_admin = fields.Boolean()


class TractionOut(Schema):
    monthly_active_users = fields.Integer()
    mrr = fields.Integer(metadata={"description": "Monthly recurring revenue."})
    growth_rate = fields.Float(metadata={"description": "Month-on-month growth as a fraction (0.12 = 12 %)."})
    funding_raised = fields.Integer()
    team_size = fields.Integer()
    updated_at = fields.DateTime(attribute="traction_updated_at", allow_none=True)


class StartupOut(Schema):
    id = fields.Integer()
    slug = fields.String()
    name = fields.String()
    tagline = fields.String()
    description = fields.String()
    industry = fields.String()
    stage = fields.String()
    location = fields.String()
    website = fields.String()
    skills_needed = fields.List(fields.String(), attribute="skill_names")
    traction = Inline(TractionOut)
    members = fields.List(fields.Nested(UserSummaryOut))
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    url = PageUrl(lambda startup: f"/startups/{startup.slug}")


class OpportunityOut(Schema):
    id = fields.Integer()
    ref = fields.String(allow_none=True)
    startup = fields.Nested(StartupSummaryOut)
    title = fields.String()
    description = fields.String()
    type = fields.String()
    location = fields.String()
    remote = fields.Boolean()
    skills = fields.List(fields.String(), attribute="skill_names")
    compensation = fields.String()
    status = fields.String()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)
    url = PageUrl(lambda opportunity: f"/opportunities/{opportunity.id}")


class ApplicationOut(Schema):
    id = fields.Integer()
    opportunity = fields.Nested(OpportunitySummaryOut)
    applicant = fields.Nested(UserSummaryOut, attribute="user")
    status = fields.String()
    is_final = fields.Boolean(metadata={"description": "accepted, rejected and withdrawn are final."})
    note = fields.String(metadata={"description": "The applicant's note."})
    feedback = fields.String(metadata={"description": "The startup's feedback, seen by the applicant."})
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class FollowOut(Schema):
    follower = fields.Nested(UserSummaryOut)
    user = fields.Nested(UserSummaryOut, allow_none=True)
    startup = fields.Nested(StartupSummaryOut, allow_none=True)
    created_at = fields.DateTime()


class InterestOut(Schema):
    startup = fields.Nested(StartupSummaryOut)
    interested = fields.Boolean()


class PageOut(Schema):
    count = fields.Integer(metadata={"description": "How many results match, over all pages."})
    next = fields.String(allow_none=True, metadata={"format": "uri"})
    previous = fields.String(allow_none=True, metadata={"format": "uri"})


class StartupPageOut(PageOut):
    results = fields.List(fields.Nested(StartupOut))


class OpportunityPageOut(PageOut):
    results = fields.List(fields.Nested(OpportunityOut))


class ApplicationPageOut(PageOut):
    results = fields.List(fields.Nested(ApplicationOut))
