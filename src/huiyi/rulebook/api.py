"""Read endpoints of the rulebook: the rules in force and every version (REQ-QLT-01…04, REQ-DOC-08)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import permissions, serializers, viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from huiyi.accounts.api import TranslatedSerializerField

from . import queries, services
from .loader import Rule
from .models import RulebookVersion
from .schema import CLOCKS, KINDS, OPS, SOURCES, UNITS


class CanReadRulebook(permissions.BasePermission):
    """Deny by default: the reader must hold ``rulebook.view_rulebookversion`` (every signed-in user)."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.has_perm("rulebook.view_rulebookversion"))


@extend_schema_field(
    {
        "oneOf": [
            {"type": "number"},
            {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
        ],
        "nullable": True,
        "description": "A number; [min, max] when op is `between`; null for permanent retention.",
    }
)
class RuleValueField(serializers.JSONField):
    pass


def rule_data(rule: Rule) -> dict[str, Any]:
    """One rule as the API shows it (ratios stay fractions: 0.05 means 5 %)."""
    return {
        "id": rule.id,
        "req": rule.req,
        "see_also": list(rule.see_also),
        "clause": rule.clause,
        "kind": rule.kind,
        "metric": rule.metric,
        "op": rule.op,
        "value": list(rule.value) if isinstance(rule.value, tuple) else rule.value,
        "unit": rule.unit,
        "control_point": rule.control_point,
        "phase": rule.phase,
        "owner_role": rule.owner_role,
        "name": rule.name.as_dict(),
        "description": rule.description.as_dict() if rule.description else None,
        "source": rule.source,
        "clock": rule.clock,
        "starts_at": rule.starts_at,
        "direction": rule.direction if rule.clock else None,
        "permanent": rule.permanent,
        "applies_to": dict(rule.applies_to),
    }


class RuleSerializer(serializers.Serializer):
    id = serializers.CharField()
    req = serializers.CharField(help_text="Requirement ID the rule comes from (REQ-XXX-NN).")
    see_also = serializers.ListField(child=serializers.CharField())
    clause = serializers.CharField()
    kind = serializers.ChoiceField(choices=KINDS)
    metric = serializers.CharField()
    op = serializers.ChoiceField(choices=OPS)
    value = RuleValueField(allow_null=True)
    unit = serializers.ChoiceField(choices=list(UNITS))
    control_point = serializers.CharField(allow_null=True, help_text="CCP-01 … CCP-12, or null.")
    phase = serializers.CharField(allow_null=True)
    owner_role = serializers.CharField(allow_null=True)
    name = TranslatedSerializerField()
    description = TranslatedSerializerField(allow_null=True)
    source = serializers.ChoiceField(choices=SOURCES)
    clock = serializers.ChoiceField(choices=CLOCKS, allow_null=True)
    starts_at = serializers.CharField(allow_null=True)
    direction = serializers.ChoiceField(choices=["after", "before"], allow_null=True)
    permanent = serializers.BooleanField()
    applies_to = serializers.DictField(child=serializers.CharField())

    def to_representation(self, instance):
        return rule_data(instance) if isinstance(instance, Rule) else instance


@extend_schema_field(
    {
        "type": "string",
        "description": "`draft` (editable, not in force), `active` (in force; one at a time) or `retired`.",
        "example": "active",
    }
)
class VersionStatusField(serializers.CharField):
    """Described in words: drf-spectacular would otherwise merge it with other "status" enums."""


class VersionSerializer(serializers.ModelSerializer):
    version = serializers.IntegerField(source="number", read_only=True)
    status = VersionStatusField(read_only=True)
    title = TranslatedSerializerField()
    based_on = serializers.SlugRelatedField(slug_field="number", read_only=True)
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    activated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = RulebookVersion
        fields = [
            "version",
            "number",
            "title",
            "status",
            "digest",
            "based_on",
            "change_note",
            "created_at",
            "created_by",
            "activated_at",
            "activated_by",
        ]


class VersionWithRulesSerializer(VersionSerializer):
    rules = serializers.SerializerMethodField()

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "rules"]

    @extend_schema_field(RuleSerializer(many=True))
    def get_rules(self, version) -> list[dict[str, Any]]:
        return [rule_data(rule) for rule in services.rulebook_of(version).rules]


class ActiveRulebookView(APIView):
    """The rulebook in force: every rule with its requirement, clause, operator, value and unit."""

    permission_classes = [permissions.IsAuthenticated, CanReadRulebook]

    @extend_schema(responses=VersionWithRulesSerializer, summary="The active rulebook version with its rules")
    def get(self, request):
        version = services.active_version()
        return Response(VersionWithRulesSerializer(version, context={"request": request}).data)


class VersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Every rulebook version, newest first; one version with its rules."""

    permission_classes = [permissions.IsAuthenticated, CanReadRulebook]
    lookup_field = "number"
    lookup_value_regex = "[0-9]+"
    filterset_fields = ["status"]

    def get_queryset(self):
        if self.action == "retrieve":
            return RulebookVersion.objects.select_related("created_by", "activated_by", "based_on").defer(
                "based_on__data"
            )
        return queries.version_list()

    def get_serializer_class(self):
        return VersionWithRulesSerializer if self.action == "retrieve" else VersionSerializer

    @extend_schema(summary="Rulebook versions (paginated)")
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(summary="One rulebook version with its rules")
    def retrieve(self, request, *args, **kwargs):
        return super().retrieve(request, *args, **kwargs)
