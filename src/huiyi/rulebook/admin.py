"""Rulebook versions in the admin: to look at, not to edit — versions change through the rulebook pages.

Cloning, editing a draft's rules and activation go through ``services`` (validated, audited); the admin
shows the versions and lets an administrator correct the title of a draft, nothing else.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import RulebookVersion


@admin.register(RulebookVersion)
class RulebookVersionAdmin(admin.ModelAdmin):
    list_display = (
        "number",
        "status",
        "digest_short",
        "based_on",
        "created_at",
        "activated_at",
        "activated_by",
    )
    list_filter = ("status",)
    search_fields = ("number", "change_note", "digest")
    ordering = ("-number",)
    readonly_fields = (
        "number",
        "status",
        "data",
        "digest",
        "based_on",
        "change_note",
        "created_at",
        "created_by",
        "activated_at",
        "activated_by",
    )
    fields = ("number", "title", *readonly_fields[1:])

    @admin.display(description=_("digest"))
    def digest_short(self, obj):
        return obj.digest[:12]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != RulebookVersion.Status.DRAFT:
            return (*self.readonly_fields, "title")
        return self.readonly_fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
