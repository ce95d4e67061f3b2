"""Preparation records: execution-plan tasks, cross-department review, training, materials, communications."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from huiyi.core.models import AuthoredModel
from huiyi.projects.models import MeetingProject


class Task(AuthoredModel):
    """One numbered task of a project's execution plan (REQ-PLN-05, REQ-PRE-01)."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")

    project = models.ForeignKey(
        MeetingProject, verbose_name=_("meeting project"), on_delete=models.CASCADE, related_name="tasks"
    )
    number = models.PositiveIntegerField(_("number"))
    title = models.CharField(_("task"), max_length=200)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="preparation_tasks",
    )
    due = models.DateTimeField(_("due"))
    done_criterion = models.CharField(_("done when"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["project", "number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="task_number_per_project")]
        indexes = [models.Index(fields=["status", "due"])]

    def __str__(self):
        return f"#{self.number} {self.title}"

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    def is_overdue(self, now) -> bool:
        return not self.is_done and self.due < now
