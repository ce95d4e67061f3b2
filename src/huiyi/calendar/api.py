"""Calendar endpoints: ``GET /api/v1/calendar/due/`` computes a deadline with the organisation's calendar."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from huiyi.api.errors import error_response

from . import services

AMOUNT_FIELDS = ("working_days", "hours", "business_hours")
# Sanity bounds on request input (not rules of the specification): keep one request's walk short.
MAX_WORKING_DAYS = 3660
MAX_HOURS = Decimal(87840)


def parse_start(value: str, zone: dt.tzinfo) -> dt.datetime:
    """An ISO 8601 instant with a UTC offset, or a date (midnight in the organisation's zone)."""
    text = value.strip()
    try:
        if len(text) == 10:
            day = dt.date.fromisoformat(text)
            return dt.datetime.combine(day, dt.time(), tzinfo=zone)
        moment = dt.datetime.fromisoformat(text)
    except ValueError as exc:
        raise serializers.ValidationError(
            _("Not an ISO 8601 date or time, e.g. 2026-02-13T09:00:00+08:00.")
        ) from exc
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise serializers.ValidationError(
            _("Give the UTC offset, e.g. 2026-02-13T09:00:00+08:00 (or a date such as 2026-02-13).")
        )
    return moment


class DueQuerySerializer(serializers.Serializer):
    start = serializers.CharField(
        help_text="ISO 8601 instant with offset, or a date in the organisation's zone"
    )
    working_days = serializers.IntegerField(required=False, min_value=0, max_value=MAX_WORKING_DAYS)
    hours = serializers.DecimalField(
        required=False, min_value=Decimal(0), max_value=MAX_HOURS, max_digits=12, decimal_places=6
    )
    business_hours = serializers.DecimalField(
        required=False, min_value=Decimal(0), max_value=MAX_HOURS, max_digits=12, decimal_places=6
    )

    def validate_start(self, value):
        return parse_start(value, services.organisation_zone())

    def validate(self, attrs):
        given = [name for name in AMOUNT_FIELDS if attrs.get(name) is not None]
        if len(given) != 1:
            message = _("Give exactly one of working_days, hours or business_hours.")
            raise serializers.ValidationError({name: [message] for name in (given or AMOUNT_FIELDS)})
        return attrs


DueResponse = inline_serializer(
    "CalendarDue",
    {
        "due": serializers.DateTimeField(help_text="When it falls due, with the organisation's UTC offset"),
        "confirmed": serializers.BooleanField(
            help_text="False if any date walked over lies in a year whose official schedule is not loaded"
        ),
    },
)


class DueView(APIView):
    """When is something due? Working days follow China's schedule (holidays, adjusted working days 调休);
    business hours follow the organisation's support hours; hours are elapsed time."""

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "start", str, required=True, description="ISO 8601 instant with offset, or a date"
            ),
            OpenApiParameter("working_days", int, description="Due at 23:59:59 of the Nth working day after"),
            OpenApiParameter("hours", float, description="Elapsed hours"),
            OpenApiParameter("business_hours", float, description="Hours within the support hours"),
        ],
        responses={200: DueResponse},
    )
    def get(self, request):
        query = DueQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        data = query.validated_data
        try:
            deadline = services.due(
                data["start"],
                working_days=data.get("working_days"),
                hours=data.get("hours"),
                business_hours=data.get("business_hours"),
                request=request,
            )
        except (ValueError, OverflowError) as exc:
            field = next(name for name in AMOUNT_FIELDS if data.get(name) is not None)
            message = _("Cannot compute this deadline: %(reason)s") % {"reason": exc}
            return error_response("invalid", message, fields={field: [message]})
        return Response(deadline.as_dict())
