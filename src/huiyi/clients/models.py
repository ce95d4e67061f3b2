"""Client organisations and their contacts."""

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from huiyi.accounts.models import OrgUnit
from huiyi.core.models import AuthoredModel

# 统一社会信用代码: 18 characters of digits and upper-case letters (excluding I, O, S, V, Z).
credit_code_validator = RegexValidator(
    r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$",
    _("A unified social credit code has 18 characters: digits and capital letters except I, O, S, V, Z."),
)


class Client(AuthoredModel):
    """A client organisation, classified by host as GB/T 30520-2014 does."""

    class Kind(models.TextChoices):
        ENTERPRISE = "enterprise", _("Enterprise")
        ASSOCIATION = "association", _("Association")
        GOVERNMENT = "government", _("Government agency")
        INSTITUTION = "institution", _("Public institution")

    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    credit_code = models.CharField(
        _("unified social credit code"), max_length=18, blank=True, validators=[credit_code_validator]
    )
    address = models.CharField(_("address"), max_length=300, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("served by"), on_delete=models.PROTECT, related_name="clients"
    )
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("client")
        verbose_name_plural = _("clients")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~models.Q(credit_code=""), name="unique_client_credit_code"
            )
        ]

    def __str__(self):
        return self.name


class Contact(AuthoredModel):
    client = models.ForeignKey(
        Client, verbose_name=_("client"), on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=100)
    title = models.CharField(_("title"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    is_primary = models.BooleanField(_("primary contact"), default=False)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        ordering = ["-is_primary", "name"]

    def __str__(self):
        return f"{self.name} ({self.client})"
