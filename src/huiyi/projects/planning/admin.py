from django.contrib import admin

from .models import (
    AgendaItem,
    BudgetLine,
    ClientResponse,
    PlanReview,
    PlanVersion,
    ResourceLine,
    RiskItem,
    SectionAnswer,
    SignedCopy,
)


class AgendaInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class ResourceInline(admin.TabularInline):
    model = ResourceLine
    extra = 0


class BudgetInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class RiskInline(admin.TabularInline):
    model = RiskItem
    extra = 0


class ReviewInline(admin.TabularInline):
    model = PlanReview
    extra = 0


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    list_display = ["project", "number", "status", "sent_at", "confirmed_at"]
    list_filter = ["status"]
    search_fields = ["project__code", "project__name"]
    raw_id_fields = ["project", "based_on"]
    inlines = [AgendaInline, ResourceInline, BudgetInline, RiskInline, ReviewInline]


class AnswerInline(admin.TabularInline):
    model = SectionAnswer
    extra = 0


@admin.register(ClientResponse)
class ClientResponseAdmin(admin.ModelAdmin):
    list_display = ["version", "signer_name", "accepted_sections", "total_sections", "signed_at"]
    raw_id_fields = ["version", "link"]
    inlines = [AnswerInline]


@admin.register(SignedCopy)
class SignedCopyAdmin(admin.ModelAdmin):
    list_display = ["version", "original_name", "size", "sha256", "uploaded_at"]
    raw_id_fields = ["version"]
