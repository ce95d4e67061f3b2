"""The check-in API (REQ-ONS-02).

``POST /api/v1/checkin/redeem/`` and ``/checkout/`` are the hot path. They are plain Django views with the
contract of a DRF view (documented in the OpenAPI schema through the thin :class:`RedeemView` /
:class:`CheckoutView` classes, whose ``as_view()`` returns the lean function): no DRF request wrapping,
content negotiation or serializer on the way, one query to read, one transaction to write. Authentication is
the API's own — ``Authorization: Token <key>`` or the browser session with its CSRF token — and what a token
or session may do (scan permission, which meetings it sees) is kept in memory for :data:`AUTH_CACHE_SECONDS`
per process: a revoked token or role stops working within that time.

``/sync/`` (offline batches), ``/timings/`` and the manual search are ordinary DRF views.
"""

from __future__ import annotations

import json
import random
import threading
import time

from django.core.exceptions import RequestDataTooBig
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authentication import CSRFCheck
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from huiyi.api.errors import error_body
from huiyi.core.fast_db import reconnecting
from huiyi.onsite.attendees.models import Category
from huiyi.projects.models import MeetingProject

from . import queries, services
from .models import Direction, Result, Source
from .services import KeyReused, Scanner

#: How long a token's or session's permissions are reused at most without asking the database again.
AUTH_CACHE_SECONDS = 30.0
#: Each entry lives a random share of that, from this fraction up: the gates' scanners all sign in as the
#: doors open, and entries that expired together would be reloaded together — every thread of a worker asking
#: the database about permissions at the same moment, a stall every 30 s seen in the check-in latency's tail.
AUTH_CACHE_SPREAD_FROM = 0.5
_AUTH_CACHE_LIMIT = 10_000
_auth_cache: dict[tuple[str, str], tuple[float, Scanner]] = {}
_auth_lock = threading.Lock()


def clear_auth_cache() -> None:
    with _auth_lock:
        _auth_cache.clear()


def _cached(kind: str, key: str, load) -> Scanner | None:
    now = time.monotonic()
    entry = _auth_cache.get((kind, key))
    if entry is not None and entry[0] > now:
        return entry[1]
    scanner = load()
    if scanner is not None:
        with _auth_lock:
            if len(_auth_cache) >= _AUTH_CACHE_LIMIT:
                _auth_cache.clear()
            lifetime = AUTH_CACHE_SECONDS * random.uniform(AUTH_CACHE_SPREAD_FROM, 1.0)
            _auth_cache[(kind, key)] = (now + lifetime, scanner)
    return scanner


def _token_scanner(key: str) -> Scanner | None:
    def load():
        token = Token.objects.select_related("user").filter(key=key).first()
        if token is None or not token.user.is_active:
            return None
        return Scanner.for_user(token.user)

    return _cached("token", key, lambda: reconnecting(load))


def _error(status: int, code: str, message: str, fields: dict | None = None) -> JsonResponse:
    response = JsonResponse(
        error_body(code, message, fields), status=status, json_dumps_params={"ensure_ascii": False}
    )
    if status == 401:
        response["WWW-Authenticate"] = 'Token realm="api"'
    return response


def _authenticate(request) -> tuple[Scanner | None, JsonResponse | None]:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header:
        parts = header.split()
        if len(parts) != 2 or parts[0].lower() != "token":
            return None, _error(401, "authentication_failed", _("Invalid token header."))
        scanner = _token_scanner(parts[1])
        if scanner is None:
            return None, _error(401, "authentication_failed", _("Invalid token."))
        return scanner, None
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or not user.is_active:
        return None, _error(401, "not_authenticated", _("Authentication credentials were not provided."))
    check = CSRFCheck(lambda r: None)
    check.process_request(request)
    reason = check.process_view(request, None, (), {})
    if reason:
        return None, _error(403, "permission_denied", _("CSRF check failed: %(reason)s") % {"reason": reason})
    session_key = request.session.session_key or f"user-{user.pk}"
    return _cached("session", session_key, lambda: Scanner.for_user(user)), None


def _text(data: dict, name: str, errors: dict, *, required: bool, limit: int) -> str:
    value = data.get(name, "" if not required else None)
    if value is None and required:
        errors[name] = [_("This field is required.")]
        return ""
    if not isinstance(value, str):
        errors[name] = [_("Must be text.")]
        return ""
    if required and not value.strip():
        errors[name] = [_("This field may not be blank.")]
    elif len(value) > limit:
        errors[name] = [_("At most %(n)d characters.") % {"n": limit}]
    elif not services.is_text(value):
        errors[name] = [_("Must not contain NUL characters.")]
    return value


def _lean_scan(request, direction: str):
    started = time.perf_counter()
    if request.method != "POST":
        response = _error(405, "method_not_allowed", _("Method “%(m)s” not allowed.") % {"m": request.method})
        response["Allow"] = "POST, OPTIONS"
        return response
    scanner, failure = _authenticate(request)
    if failure is not None:
        return failure
    if not scanner.can_scan:
        return _error(403, "permission_denied", _("Your roles do not allow scanning tickets."))
    try:
        data = json.loads(request.body or b"null")
    except RequestDataTooBig:
        return _error(413, "too_large", _("The request is too large."))
    except (ValueError, UnicodeDecodeError):
        return _error(400, "parse_error", _("The request body is not valid JSON."))
    if not isinstance(data, dict):
        return _error(
            400,
            "invalid",
            _("The request body must be a JSON object."),
            {"non_field_errors": [_("Send an object with code and device.")]},
        )
    errors: dict = {}
    # The code itself is never refused: whatever a scanner read that is not a ticket is answered "unknown".
    code = data.get("code")
    if code is None:
        errors["code"] = [_("This field is required.")]
    elif not isinstance(code, str):
        errors["code"] = [_("Must be text.")]
    device = _text(data, "device", errors, required=True, limit=services.MAX_DEVICE_LENGTH)
    device_name = _text(data, "device_name", errors, required=False, limit=services.MAX_DEVICE_NAME_LENGTH)
    source = data.get("source", Source.API)
    if source not in Source.values:
        errors["source"] = [_("One of: %(values)s.") % {"values": ", ".join(Source.values)}]
    project = data.get("project")
    if project is not None and not services.is_id(project):
        errors["project"] = [_("The meeting is given by its number.")]
    key = request.META.get("HTTP_IDEMPOTENCY_KEY", "")
    if len(key) > services.MAX_KEY_LENGTH or "\x00" in key:
        errors["Idempotency-Key"] = [_("At most %(n)d characters.") % {"n": services.MAX_KEY_LENGTH}]
    if errors:
        message = _("The request has invalid fields: %(fields)s.") % {"fields": ", ".join(errors)}
        return _error(400, "invalid", message, errors)
    if project is not None and not scanner.sees(project):
        return _error(
            403,
            "permission_denied",
            _("You cannot see this meeting."),
            {"project": [_("You cannot see this meeting.")]},
        )
    try:
        answer = services.scan(
            scanner,
            code=code,
            device=device,
            device_name=device_name,
            direction=direction,
            project_id=project,
            key=key,
            source=source,
            started=started,
        )
    except KeyReused:
        return _error(
            422,
            "idempotency_key_reused",
            _("This Idempotency-Key was already used for another request."),
            {"Idempotency-Key": [_("Use a new key for a new scan.")]},
        )
    response = HttpResponse(answer.body, status=answer.status, content_type="application/json")
    if answer.replayed:
        response["Idempotent-Replayed"] = "true"
    return response


# -- schema ------------------------------------------------------------------------------------------------


class AttendeeSummarySerializer(serializers.Serializer):
    name = serializers.CharField()
    organisation = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)
    seat = serializers.CharField()


class ScanRequestSerializer(serializers.Serializer):
    code = serializers.CharField(
        allow_blank=True, trim_whitespace=False, help_text="What the scanner read (the ticket's QR content)."
    )
    device = serializers.CharField(max_length=64, help_text="The scanning device's id, stable per device.")
    device_name = serializers.CharField(max_length=80, required=False, help_text="A name people recognise.")
    project = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=services.MAX_ID,
        help_text="The meeting this device scans for: other tickets are wrong_meeting.",
    )
    source = serializers.ChoiceField(choices=Source.choices, required=False, default=Source.API)


ENTRY_RESULTS = [
    Result.OK,
    Result.ALREADY_CHECKED_IN,
    Result.UNKNOWN,
    Result.WRONG_MEETING,
    Result.BLOCKED,
]
EXIT_RESULTS = [
    Result.CHECKED_OUT,
    Result.NOT_CHECKED_IN,
    Result.ALREADY_CHECKED_OUT,
    Result.UNKNOWN,
    Result.WRONG_MEETING,
]


class RedeemAnswerSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=[(r.value, r.label) for r in ENTRY_RESULTS])
    attendee = AttendeeSummarySerializer(allow_null=True)
    checked_in_at = serializers.DateTimeField(allow_null=True)
    reentry = serializers.BooleanField(help_text="True when a person who checked out comes back in.")


class CheckoutAnswerSerializer(RedeemAnswerSerializer):
    result = serializers.ChoiceField(choices=[(r.value, r.label) for r in EXIT_RESULTS])


ERROR = inline_serializer(
    "CheckinError",
    {
        "error": inline_serializer(
            "CheckinErrorBody",
            {
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
            },
        )
    },
)
IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description="A new random key per scan (≤100 characters). A repeat returns the first answer unchanged "
    "(with the header Idempotent-Replayed: true); the same key with another request is refused (422).",
)
_ERRORS = {
    400: OpenApiResponse(ERROR, description="Invalid fields, named in error.fields."),
    401: OpenApiResponse(ERROR, description="No or invalid credentials."),
    403: OpenApiResponse(ERROR, description="No permission to scan tickets, or the meeting is not yours."),
    413: OpenApiResponse(ERROR, description="The request is too large."),
    422: OpenApiResponse(ERROR, description="The Idempotency-Key was used for another request."),
}


class _LeanView(APIView):
    """Describes a lean view to the schema; `as_view()` returns the lean function itself."""

    direction = Direction.IN
    parser_classes = [JSONParser]

    @classmethod
    def as_view(cls, **initkwargs):
        direction = cls.direction

        @csrf_exempt
        def view(request, *args, **kwargs):
            return _lean_scan(request, direction)

        view.cls = cls
        view.initkwargs = initkwargs
        return view


class RedeemView(_LeanView):
    direction = Direction.IN

    @extend_schema(
        operation_id="checkin_redeem",
        summary="Check a ticket in (scan at the door)",
        description="REQ-ONS-02. Exactly one scan of a ticket is answered `ok`, however many devices scan it "
        "at once; the others get `already_checked_in` with the first time. A person who checked out and "
        "comes back is `ok` with `reentry: true`. An unreadable or unknown code is `unknown`; a ticket of "
        "another meeting `wrong_meeting` (the attendee only if you may see that meeting); a cancelled "
        "registration `blocked`.",
        request=ScanRequestSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={200: RedeemAnswerSerializer, **_ERRORS},
        tags=["check-in"],
    )
    def post(self, request):  # pragma: no cover - as_view() serves the lean function
        raise NotImplementedError


class CheckoutView(_LeanView):
    direction = Direction.OUT

    @extend_schema(
        operation_id="checkin_checkout",
        summary="Record a person leaving (check-out)",
        description="The next entry scan of the ticket is a re-entry (`ok`, `reentry: true`).",
        request=ScanRequestSerializer,
        parameters=[IDEMPOTENCY_KEY],
        responses={200: CheckoutAnswerSerializer, **_ERRORS},
        tags=["check-in"],
    )
    def post(self, request):  # pragma: no cover - as_view() serves the lean function
        raise NotImplementedError


# -- offline sync ------------------------------------------------------------------------------------------


class OfflineScanSerializer(serializers.Serializer):
    code = serializers.CharField(allow_blank=True, trim_whitespace=False)
    device = serializers.CharField(max_length=64)
    device_name = serializers.CharField(max_length=80, required=False)
    scanned_at = serializers.DateTimeField(help_text="When the device saw the code (ISO 8601 with offset).")
    key = serializers.CharField(
        max_length=100, help_text="The scan's own random key, kept with it in the queue."
    )
    project = serializers.IntegerField(required=False, min_value=1, max_value=services.MAX_ID)
    direction = serializers.ChoiceField(choices=Direction.choices, required=False, default=Direction.IN)
    source = serializers.ChoiceField(choices=Source.choices, required=False, default=Source.API)
    shown_ms = serializers.IntegerField(required=False, min_value=0, max_value=services.MAX_SHOWN_MS)


class SyncRequestSerializer(serializers.Serializer):
    scans = OfflineScanSerializer(many=True)


class SyncItemAnswerSerializer(serializers.Serializer):
    index = serializers.IntegerField()
    key = serializers.CharField(allow_null=True)
    result = serializers.ChoiceField(choices=[*Result.values, "invalid"])
    attendee = AttendeeSummarySerializer(allow_null=True, required=False)
    checked_in_at = serializers.DateTimeField(allow_null=True, required=False)
    reentry = serializers.BooleanField(required=False)
    replayed = serializers.BooleanField(
        required=False, help_text="Answered before: this is the first answer."
    )
    error = inline_serializer(
        "SyncItemError",
        {
            "code": serializers.CharField(),
            "message": serializers.CharField(),
            "fields": serializers.DictField(child=serializers.ListField(child=serializers.CharField())),
        },
        required=False,
    )


class SyncView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="checkin_sync",
        summary="Sync scans made offline",
        description="A batch (≤500) of scans queued on a device while offline. Each is answered on its own "
        "and is idempotent by its key: sending the batch again, or in another order, changes nothing more. "
        "The check-in time is the EARLIEST admitting scan: an offline scan earlier than an online check-in "
        "moves it and records a conflict for the director. A bad item is answered `invalid` with its fields.",
        request=SyncRequestSerializer,
        responses={
            200: inline_serializer("SyncAnswer", {"results": SyncItemAnswerSerializer(many=True)}),
            400: OpenApiResponse(ERROR, description="Not a batch, or too many scans."),
            401: OpenApiResponse(ERROR),
            403: OpenApiResponse(ERROR),
        },
        tags=["check-in"],
    )
    def post(self, request):
        scanner = _request_scanner(request)
        data = request.data
        items = data.get("scans") if isinstance(data, dict) else data
        if not isinstance(items, list):
            return Response(
                error_body("invalid", _("Send the scans as a list."), {"scans": [_("Expected a list.")]}),
                status=400,
            )
        if len(items) > services.SYNC_BATCH_LIMIT:
            message = _("At most %(n)d scans per request.") % {"n": services.SYNC_BATCH_LIMIT}
            return Response(error_body("invalid", message, {"scans": [message]}), status=400)
        return Response({"results": services.sync(scanner, items)})


def _request_scanner(request) -> Scanner:
    """The DRF views authenticate the DRF way; the scanner (permissions) is shared with the lean views."""
    user = request.user
    if isinstance(request.auth, Token):
        kind, key = "token", request.auth.key
    else:
        session = getattr(request._request, "session", None)
        kind, key = "session", (session.session_key if session is not None else None) or f"user-{user.pk}"
    scanner = _cached(kind, key, lambda: Scanner.for_user(user))
    if not scanner.can_scan:
        raise PermissionDenied(_("Your roles do not allow scanning tickets."))
    return scanner


class TimingsView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="checkin_timings",
        summary="Report how long scans took to answer on the device",
        description="The scanner page reports, per scan key, the milliseconds from seeing the code to "
        "showing the answer; the REQ-ONS-02 measurement (check-in time per person) uses them.",
        request=inline_serializer(
            "TimingsRequest",
            {
                "timings": inline_serializer(
                    "Timing",
                    {
                        "key": serializers.CharField(max_length=100),
                        "shown_ms": serializers.IntegerField(min_value=0, max_value=services.MAX_SHOWN_MS),
                    },
                    many=True,
                )
            },
        ),
        responses={
            200: inline_serializer("TimingsAnswer", {"stored": serializers.IntegerField()}),
            400: OpenApiResponse(ERROR),
            401: OpenApiResponse(ERROR),
            403: OpenApiResponse(ERROR),
        },
        tags=["check-in"],
    )
    def post(self, request):
        scanner = _request_scanner(request)
        items = request.data.get("timings") if isinstance(request.data, dict) else None
        if not isinstance(items, list) or len(items) > services.SYNC_BATCH_LIMIT:
            message = _("Send at most %(n)d timings as a list.") % {"n": services.SYNC_BATCH_LIMIT}
            return Response(error_body("invalid", message, {"timings": [message]}), status=400)
        return Response({"stored": services.record_timings(scanner, items)})


# -- manual search -----------------------------------------------------------------------------------------


class SearchResultSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    organisation = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)
    seat = serializers.CharField()
    phone = serializers.CharField(help_text="Masked: only the first three and last four digits.")
    status = serializers.CharField()
    code = serializers.CharField(help_text="The ticket code, to check the person in.")
    checked_in_at = serializers.DateTimeField(allow_null=True)
    present = serializers.BooleanField(allow_null=True)


class SearchView(APIView):
    @extend_schema(
        operation_id="checkin_search",
        summary="Find an attendee by name or phone fragment (manual check-in)",
        parameters=[
            OpenApiParameter(
                "q",
                OpenApiTypes.STR,
                OpenApiParameter.QUERY,
                required=True,
                description="Part of the name, or at least 3 digits of the phone number.",
            ),
        ],
        responses={
            200: inline_serializer("SearchAnswer", {"results": SearchResultSerializer(many=True)}),
            401: OpenApiResponse(ERROR),
            403: OpenApiResponse(ERROR),
            404: OpenApiResponse(ERROR),
        },
        tags=["check-in"],
    )
    def get(self, request, pk: int):
        project = get_object_or_404(MeetingProject, pk=pk)
        scanner = _request_scanner(request)
        if not scanner.sees(project.pk):
            raise PermissionDenied(_("You cannot see this project."))
        results = queries.search_attendees(project, request.query_params.get("q", ""))
        return Response({"results": SearchResultSerializer(results, many=True).data})
