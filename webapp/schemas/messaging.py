"""Write bodies and API shapes for connections, blocks, conversations and messages."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from .fields import TrimmedString
from .inputs import SLUG, USERNAME, InputSchema

MAX_MESSAGE_LENGTH = 4000


def message_body() -> TrimmedString:
    return TrimmedString(
        required=True,
        validate=validate.Length(min=1, max=MAX_MESSAGE_LENGTH,
                                 error=f"Write 1 to {MAX_MESSAGE_LENGTH} characters."),
        metadata={"description": f"Plain text, at most {MAX_MESSAGE_LENGTH} characters; http(s) links are linked."},
    )


class UserRefSchema(InputSchema):
    """`{"user": username}`: a connection request or a block."""

    user = TrimmedString(required=True, validate=USERNAME)


class MessageSchema(InputSchema):
    body = message_body()


class ConversationStartSchema(InputSchema):
    """`{"user", "body", "startup"?, "opportunity"?}`: start (or continue) a conversation."""

    user = TrimmedString(required=True, validate=USERNAME)
    body = message_body()
    startup = TrimmedString(validate=[validate.Length(min=1, max=60), SLUG], allow_none=True)
    opportunity = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1), allow_none=True)

    @validates_schema
    def one_subject(self, data, **kwargs):
        if data.get("startup") and data.get("opportunity"):
            raise ValidationError("Give at most one of 'startup' or 'opportunity'.", field_name="_schema")


class ConversationListQuery(Schema):
    folder = fields.String(load_default="inbox", validate=validate.OneOf(("inbox", "requests")))
    limit = fields.Integer(validate=validate.Range(min=1))
    before = fields.String(validate=validate.Length(max=200), metadata={"description": "Cursor from `next`."})


class MessageListQuery(Schema):
    limit = fields.Integer(validate=validate.Range(min=1))
    before = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1),
                            metadata={"description": "Only messages older than this message id."})


class ReadSchema(InputSchema):
    up_to = fields.Integer(validate=validate.Range(min=1, max=2**31 - 1),
                           metadata={"description": "Mark read up to this message id (default: all)."})


# -- what the API answers ----------------------------------------------------------------------------

class PersonOut(Schema):
    id = fields.Integer()
    username = fields.String()
    name = fields.String()


class TargetOut(Schema):
    type = fields.String()
    id = fields.Integer()
    title = fields.String()
    url = fields.String()


class ConnectionOut(Schema):
    id = fields.Integer()
    status = fields.String(metadata={"description": "pending | accepted"})
    requester = fields.Nested(PersonOut)
    addressee = fields.Nested(PersonOut)
    user = fields.Nested(PersonOut, metadata={"description": "The other party, seen from the viewer."})
    direction = fields.String(metadata={"description": "incoming | outgoing (pending), or connected"})
    created_at = fields.String()
    accepted_at = fields.String(allow_none=True)


class ConnectionListOut(Schema):
    count = fields.Integer()
    results = fields.List(fields.Nested(ConnectionOut))


class MessageOut(Schema):
    id = fields.Integer()
    conversation_id = fields.Integer()
    sender = fields.Nested(PersonOut)
    body = fields.String(metadata={"description": "The text as written."})
    body_html = fields.String(metadata={"description": "Escaped text with safe http(s) links."})
    created_at = fields.String()
    read_at = fields.String(allow_none=True, metadata={"description": "When the other participant read it."})


class ConversationOut(Schema):
    id = fields.Integer()
    participants = fields.List(fields.Nested(PersonOut))
    other = fields.Nested(PersonOut)
    startup = fields.Nested(TargetOut, allow_none=True)
    opportunity = fields.Nested(TargetOut, allow_none=True)
    status = fields.String(metadata={"description": "active | request | declined"})
    folder = fields.String(metadata={"description": "inbox | requests, as the viewer sees it"})
    unread = fields.Integer()
    last_message = fields.Nested(MessageOut, allow_none=True)
    created_at = fields.String()
    last_message_at = fields.String()
    url = fields.String()


class ConversationStartedOut(ConversationOut):
    message = fields.Nested(MessageOut, metadata={"description": "The message just sent."})


class ConversationListOut(Schema):
    count = fields.Integer()
    unread = fields.Integer(metadata={"description": "Conversations with unread messages in this folder."})
    results = fields.List(fields.Nested(ConversationOut))
    next = fields.String(allow_none=True)


class MessageListOut(Schema):
    results = fields.List(fields.Nested(MessageOut), metadata={"description": "Oldest first."})
    next = fields.String(allow_none=True, metadata={"description": "Older messages."})


class ReadOut(Schema):
    marked = fields.Integer()
    unread = fields.Integer(metadata={"description": "Your conversations with unread messages."})


class BlockOut(Schema):
    user = fields.Nested(PersonOut)
    created_at = fields.String()
