"""Read endpoints for users and organisation units."""

from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, viewsets

from huiyi.core.translation import LANGUAGE_KEYS

from . import queries
from .models import OrgMembership, OrgUnit, User


@extend_schema_field({"type": "object", "properties": {key: {"type": "string"} for key in LANGUAGE_KEYS}})
class TranslatedSerializerField(serializers.JSONField):
    pass


class OrgUnitSerializer(serializers.ModelSerializer):
    name = TranslatedSerializerField()

    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name", "kind", "parent", "path", "is_active"]


class MembershipSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    role = serializers.SlugRelatedField(slug_field="key", read_only=True)

    class Meta:
        model = OrgMembership
        fields = ["org_unit", "role"]


class UserSerializer(serializers.ModelSerializer):
    org_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    memberships = MembershipSerializer(many=True, read_only=True)

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "email", "org_unit", "is_active", "memberships"]


class MeSerializer(UserSerializer):
    permissions = serializers.SerializerMethodField()

    class Meta(UserSerializer.Meta):
        fields = [*UserSerializer.Meta.fields, "language", "is_superuser", "permissions"]

    def get_permissions(self, user) -> list[str]:
        return sorted(user.get_all_permissions())


class UserViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = UserSerializer
    filterset_fields = ["org_unit", "is_active"]

    def get_queryset(self):
        return (
            queries.visible_users(self.request.user)
            .select_related("org_unit")
            .prefetch_related(
                Prefetch("memberships", queryset=OrgMembership.objects.select_related("org_unit", "role"))
            )
        )


class OrgUnitViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = OrgUnitSerializer
    filterset_fields = ["kind", "parent", "is_active"]

    def get_queryset(self):
        return queries.visible_org_units(self.request.user)
