"""Bodies and representations for team invitations, startup updates and saved items (SPEC §3.7)."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..markdown import render_markdown
from ..models import INVITATION_STATUSES, SAVED_KINDS
from .fields import TrimmedString
from .inputs import SLUG, USERNAME, InputSchema, TractionSchema, text
from .outputs import OpportunitySummaryOut, PageOut, PageUrl, StartupSummaryOut, UserSummaryOut

ID = validate.Range(min=1, max=2**31 - 1)


class InvitationSchema(InputSchema):
    startup = TrimmedString(required=True, validate=[validate.Length(max=60), SLUG])
    user = TrimmedString(required=True, validate=USERNAME)
    role = text(50, required=True, min_length=1)
    message = text(2000)


class StartupUpdateSchema(InputSchema):
    title = text(160, required=True, min_length=1)
    body = text(20000, required=True, min_length=1)
    traction = fields.Nested(TractionSchema, metadata={"description": "New traction figures, if any."})


class SavedSchema(InputSchema):
    startup = TrimmedString(validate=[validate.Length(max=60), SLUG])
    opportunity = fields.Integer(strict=True, validate=ID)

    @validates_schema
    def exactly_one_target(self, data, **kwargs):
        if ("startup" in data) == ("opportunity" in data):
            raise ValidationError("Give exactly one of 'startup' or 'opportunity'.", field_name="_schema")


class InvitationListArgs(Schema):
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1),
                           metadata={"description": "Page size; capped at 100."})
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0, max=10**6))
    folder = fields.String(load_default="all", validate=validate.OneOf(("all", "received", "sent")),
                           metadata={"description": "received: to you; sent: from your startups; all: both."})


class InvitationOut(Schema):
    id = fields.Integer()
    startup = fields.Nested(StartupSummaryOut)
    inviter = fields.Nested(UserSummaryOut, allow_none=True)
    invitee = fields.Nested(UserSummaryOut)
    role = fields.String()
    message = fields.String()
    status = fields.String(attribute="state", metadata={
        "enum": list(INVITATION_STATUSES), "description": "A pending invitation past expires_at is expired."})
    created_at = fields.DateTime()
    expires_at = fields.DateTime()
    responded_at = fields.DateTime(allow_none=True)


class InvitationPageOut(PageOut):
    results = fields.List(fields.Nested(InvitationOut))


class StartupUpdateOut(Schema):
    id = fields.Integer()
    startup = fields.Nested(StartupSummaryOut)
    author = fields.Nested(UserSummaryOut, allow_none=True)
    title = fields.String()
    body = fields.String(metadata={"description": "Markdown source."})
    body_html = fields.Function(lambda update: str(render_markdown(update.body)),
                                metadata={"description": "The body rendered and sanitised (allow-listed HTML)."})
    traction = fields.Dict(metadata={"description": "Traction figures this update changed."})
    created_at = fields.DateTime()
    url = PageUrl(lambda update: f"/startups/{update.startup.slug}#update-{update.id}")


class StartupUpdatePageOut(PageOut):
    results = fields.List(fields.Nested(StartupUpdateOut))


class SavedItemOut(Schema):
    id = fields.Integer()
    kind = fields.String(metadata={"enum": list(SAVED_KINDS)})
    startup = fields.Nested(StartupSummaryOut, allow_none=True)
    opportunity = fields.Nested(OpportunitySummaryOut, allow_none=True)
    created_at = fields.DateTime()


class SavedPageOut(PageOut):
    results = fields.List(fields.Nested(SavedItemOut))


class SavedDeleteOut(Schema):
    saved = fields.Boolean()
