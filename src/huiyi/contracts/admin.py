"""Contracts in the admin: read-only — every change goes through the services (validated, audited)."""

from django.contrib import admin

from .models import Breach, ChangeRequest, Contract, PaymentLine, QualityStandard


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PaymentInline(admin.TabularInline):
    model = PaymentLine
    extra = 0
    can_delete = False
    readonly_fields = ("name", "due_date", "amount")

    def has_add_permission(self, request, obj=None):
        return False


class StandardInline(admin.TabularInline):
    model = QualityStandard
    extra = 0
    can_delete = False
    readonly_fields = ("rule_id", "name", "target", "acceptance_point")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Contract)
class ContractAdmin(ReadOnlyAdmin):
    list_display = ("number", "version", "project", "status", "value", "signed_at", "retention_until")
    list_filter = ("status",)
    search_fields = ("number", "title", "project__code", "project__name")
    list_select_related = ("project",)
    inlines = [StandardInline, PaymentInline]


@admin.register(ChangeRequest)
class ChangeRequestAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "kind", "affected_at", "submitted_at", "is_late", "cost_impact", "status")
    list_filter = ("status", "is_late", "kind")
    list_select_related = ("contract",)


@admin.register(Breach)
class BreachAdmin(ReadOnlyAdmin):
    list_display = ("__str__", "breach_class", "responsibility", "remedy_amount", "remedy_status")
    list_filter = ("breach_class", "remedy_status")
    list_select_related = ("contract",)
