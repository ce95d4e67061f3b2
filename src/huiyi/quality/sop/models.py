"""The SOP library (REQ-QLT-10, §3.1(3)): procedures linked to the rulebook's clauses, their approved
versions, and the quarterly process-optimisation meetings that change them.

A :class:`Procedure` is linked to requirement IDs / rule IDs of the rulebook. Each change is a new
:class:`ProcedureVersion` (text and/or a file, the change note, who approved it) that may cite the
:class:`OptimisationMeeting` that decided it and the improvement actions (feedback.improvement) that led to
it. The interval between meetings is checked against ``qlt.sop.optimisation_meeting_interval``.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huiyi.core.models import AuthoredModel
from huiyi.core.translation import TranslatedField, localize


class Procedure(AuthoredModel):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    title = TranslatedField(_("title"))
    purpose = models.TextField(_("purpose"), blank=True)
    requirements = models.JSONField(
        _("requirements"), default=list, blank=True, help_text=_("Requirement IDs the procedure serves.")
    )
    rule_ids = models.JSONField(
        _("criteria"),
        default=list,
        blank=True,
        help_text=_("Rule IDs of the rulebook the procedure applies."),
    )
    owner_unit = models.ForeignKey(
        "accounts.OrgUnit",
        verbose_name=_("owning unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    is_active = models.BooleanField(_("in force"), default=True)

    class Meta:
        verbose_name = _("procedure (SOP)")
        verbose_name_plural = _("procedures (SOP)")
        ordering = ["code"]
        permissions = [("approve_procedure", _("Can approve procedure versions"))]

    def __str__(self):
        return f"{self.code} {self.title_text}"

    @property
    def title_text(self) -> str:
        return localize(self.title) or self.code


class OptimisationMeeting(AuthoredModel):
    """A quarterly process-optimisation meeting (§3.1(3) "按季度召开服务流程优化会议,更新SOP库")."""

    held_on = models.DateField(_("held on"), db_index=True)
    title = models.CharField(_("title"), max_length=200)
    attendees = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("attendees"), blank=True, related_name="+"
    )
    other_attendees = models.CharField(_("other attendees"), max_length=500, blank=True)
    decisions = models.TextField(_("decisions"))
    minutes = models.TextField(_("minutes"), blank=True)
    improvement_actions = models.ManyToManyField(
        "improvement.ImprovementAction",
        verbose_name=_("improvement actions reviewed"),
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("process-optimisation meeting")
        verbose_name_plural = _("process-optimisation meetings")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return f"{self.held_on:%Y-%m-%d} {self.title}"


class ProcedureVersion(AuthoredModel):
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("procedure"), on_delete=models.CASCADE, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("text"), blank=True)
    file = models.FileField(_("file"), upload_to="sop/%Y/", blank=True)
    change_note = models.TextField(_("change note"))
    effective_from = models.DateField(_("effective from"))
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("approved by"), on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("approved at"))
    meeting = models.ForeignKey(
        OptimisationMeeting,
        verbose_name=_("decided at meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="versions",
    )
    improvement_actions = models.ManyToManyField(
        "improvement.ImprovementAction",
        verbose_name=_("improvement actions that led to the change"),
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("procedure version")
        verbose_name_plural = _("procedure versions")
        ordering = ["procedure", "-number"]
        constraints = [models.UniqueConstraint(fields=["procedure", "number"], name="sop_version_number")]

    def __str__(self):
        return f"{self.procedure.code} v{self.number}"
