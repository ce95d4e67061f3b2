from django.contrib import admin

from .models import ControlPointResult, CorrectiveAction, ManualMeasurement, Nonconformance


@admin.register(ManualMeasurement)
class ManualMeasurementAdmin(admin.ModelAdmin):
    list_display = ["project", "metric", "value", "author", "measured_at"]
    list_filter = ["metric"]
    raw_id_fields = ["project", "author"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ControlPointResult)
class ControlPointResultAdmin(admin.ModelAdmin):
    """Read-only: results are appended by the evaluator, never edited."""

    list_display = ["project", "control_point", "rule_id", "value", "verdict", "evaluated_at"]
    list_filter = ["verdict", "control_point"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ActionInline(admin.TabularInline):
    model = CorrectiveAction
    extra = 0
    raw_id_fields = ["owner", "created_by"]


@admin.register(Nonconformance)
class NonconformanceAdmin(admin.ModelAdmin):
    list_display = ["code", "project", "source", "severity", "status", "due_at"]
    list_filter = ["status", "severity", "source"]
    raw_id_fields = ["project", "owner", "opened_by", "verified_by", "closed_by"]
    readonly_fields = ["status"]
    inlines = [ActionInline]
