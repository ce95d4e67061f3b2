"""Clients over the API."""

from django.utils.translation import gettext_lazy as _
from rest_framework import mixins, serializers, viewsets
from rest_framework.exceptions import PermissionDenied

from huiyi.accounts.models import OrgUnit
from huiyi.api import fields as api_fields
from huiyi.projects.queries import units_for_new_projects

from . import queries, services
from .models import Client, Contact


class ContactSerializer(serializers.ModelSerializer):
    class Meta:
        model = Contact
        fields = ["id", "name", "title", "phone", "email", "is_primary"]


class ClientSerializer(serializers.ModelSerializer):
    org_unit = api_fields.SlugRelatedField(slug_field="code", queryset=OrgUnit.objects.all())
    contacts = ContactSerializer(many=True, read_only=True)

    class Meta:
        model = Client
        fields = ["id", "name", "name_en", "kind", "credit_code", "address", "org_unit", "notes", "contacts"]

    def validate_org_unit(self, unit):
        if not units_for_new_projects(self.context["request"].user).filter(pk=unit.pk).exists():
            raise serializers.ValidationError(_("You cannot serve clients from this unit."))
        return unit

    def create(self, validated_data):
        return services.create_client(created_by=self.context["request"].user, **validated_data)

    def update(self, instance, validated_data):
        return services.update_client(instance, **validated_data)


class ClientViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = ClientSerializer
    filterset_fields = ["kind", "org_unit"]
    http_method_names = ["get", "post", "patch", "put", "head", "options"]

    def get_queryset(self):
        return (
            queries.visible_clients(self.request.user).select_related("org_unit").prefetch_related("contacts")
        )

    def perform_create(self, serializer):
        if not self.request.user.has_perm("clients.add_client"):
            raise PermissionDenied(_("Your roles do not allow adding clients."))
        serializer.save()

    def perform_update(self, serializer):
        if not self.request.user.has_perm("clients.change_client"):
            raise PermissionDenied(_("Your roles do not allow changing clients."))
        serializer.save()
