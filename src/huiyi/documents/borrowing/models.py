"""Borrowing of documents (REQ-DOC-05, §3.5(2) 2.2): 借阅需经会议组织负责人批准; every borrowing records the
borrower, the file, when it was borrowed and when it came back.

A request names the document, the purpose, the period asked for (``starts_at`` → ``due_at``) and the medium:

* **paper** — once approved, the keeper hands the copy out (``borrowed_at``) and takes it back
  (``returned_at``); a copy not back by ``due_at`` is overdue and reminded (``tasks``);
* **electronic** — approval opens read access to that one document for the borrower alone, from ``starts_at``
  until ``due_at``; the window is checked at every read (no job closes it) and returning ends it early.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from huiyi.core.models import TimeStampedModel


class Medium(models.TextChoices):
    PAPER = "paper", _("Paper")
    ELECTRONIC = "electronic", _("Electronic")


class BorrowingStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    LENT = "lent", _("Handed out")
    RETURNED = "returned", _("Returned")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Withdrawn")


class Borrowing(TimeStampedModel):
    Status = BorrowingStatus

    document = models.ForeignKey(
        "documents.Document", verbose_name=_("document"), on_delete=models.PROTECT, related_name="borrowings"
    )
    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("meeting project"),
        on_delete=models.PROTECT,
        related_name="borrowings",
        null=True,
        blank=True,
    )
    borrower = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("borrower"), on_delete=models.PROTECT, related_name="+"
    )
    medium = models.CharField(_("medium"), max_length=12, choices=Medium.choices)
    purpose = models.TextField(_("purpose"))
    starts_at = models.DateTimeField(_("from"))
    due_at = models.DateTimeField(_("until"))
    status = models.CharField(
        _("status"), max_length=12, choices=BorrowingStatus.choices, default=BorrowingStatus.REQUESTED
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    approver_role = models.CharField(
        _("approved as"),
        max_length=40,
        blank=True,
        help_text=_("The role that made the approver the meeting's lead when deciding."),
    )
    decision_note = models.TextField(_("note or reason"), blank=True)
    borrowed_at = models.DateTimeField(_("borrowed at"), null=True, blank=True)
    handed_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handed out by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("return recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    reminded_at = models.DateTimeField(_("borrower last reminded"), null=True, blank=True)
    lead_reminded_at = models.DateTimeField(_("lead last reminded"), null=True, blank=True)
    reminders = models.PositiveIntegerField(_("reminders sent"), default=0)

    class Meta:
        verbose_name = _("borrowing")
        verbose_name_plural = _("borrowings")
        ordering = ["-created_at", "-pk"]
        permissions = [
            ("approve_borrowing", _("Can approve borrowings of organisation documents")),
            ("keep_borrowing", _("Can hand out and take back borrowed paper documents")),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(due_at__gt=F("starts_at")), name="borrowing_due_after_start"),
        ]
        indexes = [
            models.Index(fields=["borrower", "status"]),
            models.Index(fields=["project", "status"]),
            models.Index(fields=["document", "borrower", "status"]),
        ]

    def __str__(self):
        return f"{self.borrower} · {self.document}"

    @property
    def is_electronic(self) -> bool:
        return self.medium == Medium.ELECTRONIC

    def is_open_at(self, now) -> bool:
        """An electronic borrowing whose window includes `now` (the read grant)."""
        return (
            self.is_electronic
            and self.status == BorrowingStatus.APPROVED
            and self.returned_at is None
            and self.starts_at <= now < self.due_at
        )

    def is_expired_at(self, now) -> bool:
        return self.is_electronic and self.status == BorrowingStatus.APPROVED and now >= self.due_at

    def is_overdue_at(self, now) -> bool:
        return self.medium == Medium.PAPER and self.status == BorrowingStatus.LENT and now >= self.due_at
