"""The API's own endpoints: tokens and the caller's identity. Domain endpoints live in each app's api.py."""

from axes.exceptions import AxesBackendPermissionDenied
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from huiyi.accounts.api import MeSerializer

from .errors import error_response


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=256, trim_whitespace=False, style={"input_type": "password"})


class TokenThrottle(AnonRateThrottle):
    rate = "30/min"


class ObtainTokenView(APIView):
    """Exchange a username and password for an API token (`Authorization: Token <key>`)."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            403: OpenApiResponse(description="Locked out after repeated failed sign-ins (`locked_out`)."),
            429: OpenApiResponse(description="Too many token requests from this address; retry later."),
        },
        auth=[],
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = authenticate(
                request._request,
                username=data.validated_data["username"],
                password=data.validated_data["password"],
            )
        except AxesBackendPermissionDenied:
            user = None
        if getattr(request._request, "axes_locked_out", False):
            return error_response(
                "locked_out",
                _("Too many failed sign-ins. This account is locked for a while; try again later."),
                status_code=status.HTTP_403_FORBIDDEN,
            )
        if user is None or not user.is_active:
            return error_response(
                "invalid_credentials",
                _("The username or password is not correct."),
                status_code=status.HTTP_400_BAD_REQUEST,
            )
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})


class MeView(APIView):
    """The signed-in user, with org unit, roles and project memberships."""

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(MeSerializer(request.user, context={"request": request}).data)
