"""Administrators correct days, mark years as loaded and set support hours here (Django admin)."""

from django.contrib import admin

from .models import BusinessHours, CalendarDay, LoadedYear


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "__str__", "source", "updated_at"]
    list_filter = ["is_working_day"]
    date_hierarchy = "date"
    search_fields = ["note", "source"]
    readonly_fields = ["created_by", "created_at", "updated_at"]

    def save_model(self, request, obj, form, change):
        if not change and obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(LoadedYear)
class LoadedYearAdmin(admin.ModelAdmin):
    list_display = ["year", "source", "loaded_at", "loaded_by"]
    readonly_fields = ["loaded_by"]

    def save_model(self, request, obj, form, change):
        obj.loaded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(BusinessHours)
class BusinessHoursAdmin(admin.ModelAdmin):
    list_display = ["__str__", "updated_at", "updated_by"]
    readonly_fields = ["updated_by", "created_at", "updated_at"]

    def has_add_permission(self, request):
        return not BusinessHours.objects.exists()

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
