"""Users, the organisation's tree of units, roles (REQ-PPL-01) and memberships."""

from django.contrib.auth.models import AbstractUser, Permission
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from huiyi.core.models import TimeStampedModel
from huiyi.core.translation import TranslatedField, localize


class OrgUnit(TimeStampedModel):
    """Company → subsidiaries → departments (§1.2). `path` makes a subtree one indexed prefix query."""

    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        SUBSIDIARY = "subsidiary", _("Subsidiary")
        DEPARTMENT = "department", _("Department")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = TranslatedField(_("name"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(max_length=500, editable=False, db_index=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("organisation unit")
        verbose_name_plural = _("organisation units")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="company", parent__isnull=True) | ~Q(kind="company"),
                name="company_has_no_parent",
            )
        ]

    def __str__(self):
        return localize(self.name) or self.code

    @property
    def depth(self) -> int:
        return self.path.count("/") - 1

    def save(self, *args, **kwargs):
        if self.pk and self.parent_id and self.path and self.parent.path.startswith(self.path):
            raise ValidationError({"parent": _("A unit cannot be placed under itself or its own sub-unit.")})
        old_path = self.path
        self.path = (self.parent.path if self.parent_id else "/") + f"{self.code}/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            for child in OrgUnit.objects.filter(parent=self):
                child.save()

    def subtree(self):
        return OrgUnit.objects.filter(path__startswith=self.path)

    def ancestors(self):
        prefixes = []
        parts = [p for p in self.path.split("/") if p]
        for i in range(1, len(parts)):
            prefixes.append("/" + "/".join(parts[:i]) + "/")
        return OrgUnit.objects.filter(path__in=prefixes).order_by("path")


class Role(TimeStampedModel):
    """A role of REQ-PPL-01 as data: its name, duties and the permissions it grants."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = TranslatedField(_("name"))
    duties = TranslatedField(_("duties"), blank=True)
    permissions = models.ManyToManyField(Permission, verbose_name=_("permissions"), blank=True)
    sees_unit_projects = models.BooleanField(
        _("sees every project of its units"),
        default=False,
        help_text=_("Holders see all meeting projects of the units (and sub-units) they belong to."),
    )
    #: Default permissions already granted once ("app.codename"); set-up grants only defaults not yet in
    #: this list, so an administrator's removal sticks while a new app's permissions still arrive.
    defaults_applied = models.JSONField(_("default permissions applied"), default=list, blank=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["key"]

    def __str__(self):
        return localize(self.name) or self.key


class User(AbstractUser):
    display_name = models.CharField(_("display name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("organisation unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        blank=True,
        choices=[("zh-hans", "简体中文"), ("en", "English")],
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self):
        return self.display_name or self.get_full_name() or self.username

    def get_short_name(self):
        return self.display_name or super().get_short_name() or self.username


class OrgMembership(TimeStampedModel):
    """A user holds a role in an organisation unit (and, for roles that see unit projects, its subtree)."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("organisation unit"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.ForeignKey(
        Role, verbose_name=_("role"), on_delete=models.PROTECT, related_name="memberships"
    )

    class Meta:
        verbose_name = _("organisation membership")
        verbose_name_plural = _("organisation memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "org_unit", "role"], name="unique_org_membership")
        ]

    def __str__(self):
        return f"{self.user} · {self.role} · {self.org_unit}"
