"""Every API error has one shape: {"error": {"code", "message", "fields"}} (ARCHITECTURE.md, API)."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.db import DataError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from huiyi.core.resilience import database_unavailable, unavailable_response


def error_body(code: str, message: str, fields: dict | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or {}}}


def _flatten(detail) -> dict:
    if isinstance(detail, dict):
        return {
            key: [str(item) for item in (value if isinstance(value, list) else [value])]
            for key, value in detail.items()
        }
    return {}


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(key) or _holds_nul(item) for key, item in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_nul(item) for item in value)
    return False


def _nul_fields(request) -> dict:
    """{field: [message]} for each query parameter or body field holding a NUL character, in its name or
    anywhere in its value (names made printable)."""
    fields = dict(request.query_params.lists())
    try:
        body = request.data
    except exceptions.APIException:
        body = None
    if hasattr(body, "lists"):  # a form: every value of a repeated field
        body = dict(body.lists())
    if isinstance(body, dict):
        fields.update(body)
    elif _holds_nul(body):
        fields["non_field_errors"] = body
    message = str(ProhibitNullCharactersValidator.message)
    return {
        name.replace("\x00", "\\x00"): [message]
        for name, value in fields.items()
        if _holds_nul(name) or _holds_nul(value)
    }


def exception_handler(exc, context):
    if database_unavailable(exc):
        # The database cannot be reached (restarting, connection cut): 503 + Retry-After, not 500 (issue 10).
        set_rollback()
        return unavailable_response(context["request"])
    if isinstance(exc, DataError) and (fields := _nul_fields(context["request"])):
        # PostgreSQL can neither store nor compare text holding NUL: bad input, not a bug (issue 10).
        exc = exceptions.ValidationError(fields)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        )

    response = drf_exception_handler(exc, context)
    if response is None:
        return None

    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail)
        if isinstance(exc.detail, list):
            fields = {"non_field_errors": [str(item) for item in exc.detail]}
        message = _("The request has invalid fields: %(fields)s.") % {"fields": ", ".join(fields) or "—"}
        response.data = error_body("invalid", message, fields)
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        code = getattr(exc, "default_code", "error")
        if isinstance(exc, exceptions.APIException):
            codes = exc.get_codes()
            if isinstance(codes, str):
                code = codes
        response.data = error_body(code, str(detail))
    if response.status_code == status.HTTP_401_UNAUTHORIZED and "WWW-Authenticate" not in response:
        response["WWW-Authenticate"] = 'Token realm="api"'
    return response


def error_response(
    code: str, message: str, *, fields: dict | None = None, status_code: int = 400
) -> Response:
    return Response(error_body(code, message, fields), status=status_code)
