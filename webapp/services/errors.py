"""Errors a service raises; pages and the API turn them into messages and status codes."""


class ServiceError(Exception):
    """Base class: a request the service refused, with a status and a machine code."""

    status = 400
    code = "bad_request"

    def __init__(self, message: str, fields: dict | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields


class ValidationFailed(ServiceError):
    status = 422
    code = "validation_error"

    def __init__(self, fields: dict, message: str = "Some fields are not valid."):
        super().__init__(message, fields)


class NotAuthenticated(ServiceError):
    status = 401
    code = "not_authenticated"


class Forbidden(ServiceError):
    status = 403
    code = "forbidden"


class NotFound(ServiceError):
    status = 404
    code = "not_found"


class Conflict(ServiceError):
    status = 409
    code = "conflict"
