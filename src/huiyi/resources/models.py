"""Resources: venues and rooms, equipment register, suppliers, material acceptance, bookings and checks."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from huiyi.core.models import AuthoredModel, TimeStampedModel

AREA = {"max_digits": 10, "decimal_places": 2}
SCORE = {"max_digits": 6, "decimal_places": 2}


class Layout(models.TextChoices):
    """Room layouts (REQ-RES-04); each has a floor-area factor `res.layout.<key>` in the rulebook."""

    THEATRE = "theatre", _("Theatre")
    CLASSROOM = "classroom", _("Classroom")
    BANQUET = "banquet", _("Banquet rounds")
    U_SHAPE = "u_shape", _("U-shape")
    BOARDROOM = "boardroom", _("Boardroom")
    RECEPTION = "reception", _("Reception (standing)")
    HERRINGBONE = "herringbone", _("Herringbone")
    HOLLOW_SQUARE = "hollow_square", _("Hollow square")
    CRESCENT = "crescent", _("Crescent rounds")


class StaffRole(models.TextChoices):
    """On-site roles the calculator staffs (REQ-RES-03); each has a `res.staffing.<key>` rule."""

    ON_SITE_DIRECTOR = "on_site_director", _("On-site director")
    TECHNICAL_SUPPORT = "technical_support", _("Technical support")
    RECEPTION = "reception", _("Reception")
    SECURITY = "security", _("Security")
    MEDICAL = "medical", _("Medical")


class Venue(AuthoredModel):
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    address = models.CharField(_("address"), max_length=300)
    transport_notes = models.TextField(_("transport"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self):
        return self.name


class Room(AuthoredModel):
    venue = models.ForeignKey(Venue, verbose_name=_("venue"), on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=200)
    floor = models.CharField(_("floor"), max_length=40, blank=True)
    area_m2 = models.DecimalField(_("area (m²)"), validators=[MinValueValidator(0)], **AREA)
    #: {layout key: seats}; a layout missing here cannot be used in this room.
    capacities = models.JSONField(_("capacity per layout"), default=dict, blank=True)
    facilities = models.TextField(_("facilities"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["venue__name", "name"]
        constraints = [models.UniqueConstraint(fields=["venue", "name"], name="unique_room_name_per_venue")]

    def __str__(self):
        return f"{self.venue.name} · {self.name}"

    def clean(self):
        if not isinstance(self.capacities, dict):
            raise ValidationError({"capacities": _("Give the capacity per layout.")})
        for key, seats in self.capacities.items():
            if key not in Layout.values:
                raise ValidationError({"capacities": _("Unknown layout: %(key)s.") % {"key": key}})
            if not isinstance(seats, int) or isinstance(seats, bool) or seats < 0:
                raise ValidationError({"capacities": _("Seats must be a whole number, not negative.")})

    def capacity_for(self, layout: str) -> int | None:
        seats = (self.capacities or {}).get(layout)
        return int(seats) if seats is not None else None

    def capacity_rows(self):
        labels = dict(Layout.choices)
        return [
            (labels[key], self.capacities[key]) for key in Layout.values if key in (self.capacities or {})
        ]


class EquipmentCategory(models.TextChoices):
    PROJECTOR = "projector", _("Projector")
    SCREEN = "screen", _("Screen / LED wall")
    SOUND = "sound", _("Sound system")
    MICROPHONE = "microphone", _("Microphone")
    LIGHTING = "lighting", _("Lighting")
    NETWORK = "network", _("Network")
    VIDEO_CONFERENCING = "video_conferencing", _("Video conferencing")
    RECORDING = "recording", _("Recording / streaming")
    INTERPRETATION = "interpretation", _("Simultaneous interpretation")
    OTHER = "other", _("Other")


class Equipment(AuthoredModel):
    """An item of the equipment register (REQ-RES-08)."""

    class Status(models.TextChoices):
        IN_SERVICE = "in_service", _("In service")
        IN_REPAIR = "in_repair", _("In repair")
        RETIRED = "retired", _("Retired")

    name = models.CharField(_("item"), max_length=200)
    category = models.CharField(_("category"), max_length=30, choices=EquipmentCategory.choices)
    model_name = models.CharField(_("model"), max_length=200, blank=True)
    serial_number = models.CharField(_("serial number"), max_length=100, unique=True)
    ccc_certified = models.BooleanField(_("3C certified"), default=False)
    ccc_certificate_no = models.CharField(_("3C certificate no."), max_length=100, blank=True)
    is_key = models.BooleanField(_("key equipment"), default=False)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.IN_SERVICE)
    last_maintenance_on = models.DateField(_("last maintenance"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("equipment")
        verbose_name_plural = _("equipment")
        ordering = ["category", "name", "serial_number"]

    def __str__(self):
        return f"{self.name} ({self.serial_number})"

    def clean(self):
        if self.ccc_certified and not self.ccc_certificate_no.strip():
            raise ValidationError({"ccc_certificate_no": _("Give the 3C certificate number.")})


class TestReport(models.Model):
    """设备检测报告: one test of one device before use (REQ-RES-08)."""

    class Kind(models.TextChoices):
        ELECTRICAL_SAFETY = "electrical_safety", _("Electrical safety")
        PERFORMANCE = "performance", _("Performance")
        OPERATION = "operation", _("Operation")
        COMPATIBILITY = "compatibility", _("Compatibility")

    __test__ = False  # not a pytest class

    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="test_reports")
    kind = models.CharField(_("test"), max_length=30, choices=Kind.choices)
    passed = models.BooleanField(_("passed"))
    readings = models.CharField(_("readings"), max_length=500, blank=True)
    tester = models.CharField(_("tester"), max_length=100)
    tested_at = models.DateTimeField(_("tested at"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("test report")
        verbose_name_plural = _("test reports")
        ordering = ["-tested_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.equipment}"


class UsageLog(models.Model):
    class Condition(models.TextChoices):
        GOOD = "good", _("Good")
        WORN = "worn", _("Worn")
        FAULTY = "faulty", _("Faulty")

    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="usage")
    used_at = models.DateTimeField(_("used at"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT)
    project = models.ForeignKey(
        "projects.MeetingProject", verbose_name=_("project"), null=True, blank=True, on_delete=models.SET_NULL
    )
    condition = models.CharField(_("condition"), max_length=10, choices=Condition.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("usage record")
        verbose_name_plural = _("usage records")
        ordering = ["-used_at", "-pk"]

    def __str__(self):
        return f"{self.equipment} · {self.used_at:%Y-%m-%d}"


class MaintenanceRecord(models.Model):
    equipment = models.ForeignKey(Equipment, on_delete=models.CASCADE, related_name="maintenance")
    performed_on = models.DateField(_("performed on"))
    performed_by = models.CharField(_("performed by"), max_length=100)
    description = models.CharField(_("work done"), max_length=500)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("maintenance record")
        verbose_name_plural = _("maintenance records")
        ordering = ["-performed_on", "-pk"]

    def __str__(self):
        return f"{self.equipment} · {self.performed_on}"


class SparePart(AuthoredModel):
    name = models.CharField(_("spare part"), max_length=200)
    category = models.CharField(_("for category"), max_length=30, choices=EquipmentCategory.choices)
    quantity = models.PositiveIntegerField(_("in stock"), default=0)
    reorder_level = models.PositiveIntegerField(_("reorder level"), default=0)

    class Meta:
        verbose_name = _("spare part")
        verbose_name_plural = _("spare parts")
        ordering = ["category", "name"]

    def __str__(self):
        return self.name

    @property
    def low(self) -> bool:
        return self.quantity <= self.reorder_level


class Supplier(AuthoredModel):
    """An entry of the qualified supplier list 合格供应商名录 (REQ-RES-06)."""

    class Category(models.TextChoices):
        VENUE = "venue", _("Venue")
        AV = "av", _("Audio-visual equipment")
        PRINTING = "printing", _("Printing and materials")
        CATERING = "catering", _("Catering")
        TRANSPORT = "transport", _("Transport")
        HOTEL = "hotel", _("Accommodation")
        STAFFING = "staffing", _("Staffing")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200, unique=True)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    qualification = models.CharField(_("qualification"), max_length=300)
    qualification_expires_on = models.DateField(_("qualification valid until"), null=True, blank=True)
    contact_name = models.CharField(_("contact"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    qualified = models.BooleanField(_("on the qualified list"), default=True)
    last_evaluated_on = models.DateField(_("last evaluated"), null=True, blank=True)

    class Meta:
        verbose_name = _("supplier")
        verbose_name_plural = _("suppliers")
        ordering = ["category", "name"]

    def __str__(self):
        return self.name


class ScorecardCriterion(models.Model):
    """A criterion of the supplier scorecard with its weight: organisation data, not the standard's."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.JSONField(_("name"))
    weight = models.DecimalField(_("weight"), validators=[MinValueValidator(0)], **SCORE)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("scorecard criterion")
        verbose_name_plural = _("scorecard criteria")
        ordering = ["position", "key"]

    def __str__(self):
        return self.key


class ScorecardStanding(models.Model):
    """Standing bands of a total score (organisation data); the lowest may take a supplier off the list."""

    key = models.SlugField(_("key"), max_length=40, unique=True)
    name = models.JSONField(_("name"))
    min_score = models.DecimalField(_("from score"), **SCORE)
    keeps_qualified = models.BooleanField(_("stays on the qualified list"), default=True)

    class Meta:
        verbose_name = _("scorecard standing")
        verbose_name_plural = _("scorecard standings")
        ordering = ["-min_score"]

    def __str__(self):
        return self.key


class SupplierScorecard(AuthoredModel):
    supplier = models.ForeignKey(Supplier, on_delete=models.CASCADE, related_name="scorecards")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    total_score = models.DecimalField(_("total score"), **SCORE)
    standing = models.ForeignKey(
        ScorecardStanding, verbose_name=_("standing"), on_delete=models.PROTECT, related_name="+"
    )
    evaluated_on = models.DateField(_("evaluated on"))
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("supplier scorecard")
        verbose_name_plural = _("supplier scorecards")
        ordering = ["-period_end", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["supplier", "period_start"], name="one_scorecard_per_period")
        ]

    def __str__(self):
        return f"{self.supplier} · {self.period_start}–{self.period_end}"

    def clean(self):
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period ends before it starts.")})


class ScorecardScore(models.Model):
    scorecard = models.ForeignKey(SupplierScorecard, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(ScorecardCriterion, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(
        _("score"), validators=[MinValueValidator(0), MaxValueValidator(100)], **SCORE
    )
    weight = models.DecimalField(_("weight"), **SCORE)

    class Meta:
        verbose_name = _("scorecard score")
        verbose_name_plural = _("scorecard scores")

    def __str__(self):
        return f"{self.criterion}: {self.score}"


class MaterialClass(models.TextChoices):
    PAPER = "paper", _("Paper and print")
    TEXTILE = "textile", _("Textiles")
    ELECTRONICS = "electronics", _("Electronics")
    FOOD = "food", _("Food and drink")
    OTHER = "other", _("Other")


class MaterialAcceptance(AuthoredModel):
    """物料验收单 (REQ-RES-07)."""

    class Result(models.TextChoices):
        ACCEPTED = "accepted", _("Accepted")
        CONDITIONAL = "conditional", _("Accepted with conditions")
        REJECTED = "rejected", _("Rejected")

    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("project"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="material_acceptances",
    )
    supplier = models.ForeignKey(
        Supplier,
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    material = models.CharField(_("material"), max_length=200)
    material_class = models.CharField(_("material class"), max_length=20, choices=MaterialClass.choices)
    specification = models.CharField(_("specification"), max_length=300)
    quantity_ordered = models.PositiveIntegerField(_("quantity ordered"))
    quantity_received = models.PositiveIntegerField(_("quantity received"))
    appearance_ok = models.BooleanField(_("appearance OK"), default=False)
    performance_ok = models.BooleanField(_("performance OK"), default=False)
    environmental_ok = models.BooleanField(_("environmentally compliant"), default=False)
    storage_humidity = models.DecimalField(
        _("storage humidity (% RH)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    received_on = models.DateField(_("received on"))
    result = models.CharField(_("result"), max_length=20, choices=Result.choices)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signed by"), on_delete=models.PROTECT, related_name="+"
    )
    signed_at = models.DateTimeField(_("signed at"))
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("material acceptance")
        verbose_name_plural = _("material acceptances")
        ordering = ["-received_on", "-pk"]

    def __str__(self):
        return f"{self.material} ({self.received_on})"

    def clean(self):
        checks_pass = self.appearance_ok and self.performance_ok and self.environmental_ok
        if self.result == self.Result.ACCEPTED and not checks_pass:
            raise ValidationError({"result": _("Only material that passes every check can be accepted.")})
        if self.result == self.Result.ACCEPTED and self.quantity_received != self.quantity_ordered:
            raise ValidationError({"quantity_received": _("The quantity received differs from the order.")})


class ResourceProposal(models.Model):
    """A calculator result applied to a project (REQ-RES-01…04); the newest one is in force."""

    project = models.ForeignKey(
        "projects.MeetingProject", on_delete=models.CASCADE, related_name="resource_proposals"
    )
    inputs = models.JSONField(_("inputs"))
    result = models.JSONField(_("proposal"))
    deviations = models.JSONField(_("deviations"), default=list, blank=True)
    override_reason = models.TextField(_("override reason"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("resource proposal")
        verbose_name_plural = _("resource proposals")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.project} · {self.created_at:%Y-%m-%d %H:%M}"

    def clean(self):
        if self.deviations and not self.override_reason.strip():
            raise ValidationError({"override_reason": _("The proposal deviates; give the reason.")})


class Booking(AuthoredModel):
    """A booked resource of a project for a time range (REQ-RES-05)."""

    class Kind(models.TextChoices):
        VENUE = "venue", _("Venue")
        EQUIPMENT = "equipment", _("Equipment")
        STAFF = "staff", _("Staff")
        MATERIAL = "material", _("Material")

    project = models.ForeignKey(
        "projects.MeetingProject",
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="bookings",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    room = models.ForeignKey(
        Room, verbose_name=_("room"), null=True, blank=True, on_delete=models.PROTECT, related_name="bookings"
    )
    layout = models.CharField(_("layout"), max_length=20, choices=Layout.choices, blank=True)
    equipment = models.ForeignKey(
        Equipment,
        verbose_name=_("device"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="resource_bookings",
    )
    staff_role = models.CharField(_("on-site role"), max_length=40, choices=StaffRole.choices, blank=True)
    material = models.CharField(_("material"), max_length=200, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"), default=1, validators=[MinValueValidator(1)])
    #: The frozen plan's resource line this booking fulfils (its name), for the CCP-04 comparison.
    plan_item = models.CharField(_("plan line"), max_length=200, blank=True)
    supplier = models.ForeignKey(
        Supplier,
        verbose_name=_("supplier"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    confirmed = models.BooleanField(_("confirmed"), default=False)
    confirmation_document = models.FileField(
        _("confirmation letter / contract"), upload_to="resources/confirmations/%Y/%m/", blank=True
    )
    document_sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    layout_drawing = models.FileField(_("layout drawing"), upload_to="resources/layouts/%Y/%m/", blank=True)
    notes = models.CharField(_("notes"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["room", "starts_at"]),
            models.Index(fields=["equipment", "starts_at"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.resource_label}"

    @property
    def resource_label(self) -> str:
        if self.kind == self.Kind.VENUE and self.room_id:
            return str(self.room)
        if self.kind == self.Kind.EQUIPMENT and self.equipment_id:
            return str(self.equipment)
        if self.kind == self.Kind.STAFF:
            if self.staff_id:
                return str(self.staff)
            return f"{self.get_staff_role_display()} · {self.supplier}" if self.supplier_id else ""
        return self.material

    def clean(self):
        errors = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The booking ends before it starts.")
        required = {
            self.Kind.VENUE: ("room", self.room_id),
            self.Kind.EQUIPMENT: ("equipment", self.equipment_id),
            self.Kind.STAFF: ("staff", self.staff_id),
            self.Kind.MATERIAL: ("material", self.material.strip()),
        }
        staffed_by_supplier = self.kind == self.Kind.STAFF and not self.staff_id and self.supplier_id
        if self.kind in required and not staffed_by_supplier:
            field, present = required[self.kind]
            if not present:
                errors[field] = _("Choose what is booked.")
        if staffed_by_supplier and not self.staff_role:
            errors["staff_role"] = _("Give the role of the people the supplier sends.")
        one_at_a_time = self.kind in (self.Kind.VENUE, self.Kind.EQUIPMENT) or (
            self.kind == self.Kind.STAFF and self.staff_id
        )
        if one_at_a_time and self.quantity != 1:
            errors["quantity"] = _("A room, a device or a named person is booked one at a time.")
        if self.confirmed and not self.confirmation_document:
            errors["confirmation_document"] = _(
                "A confirmed booking needs its confirmation letter or contract."
            )
        if errors:
            raise ValidationError(errors)


class EquipmentCheck(models.Model):
    """The pre-use check of a booked device for a project (CCP-06, REQ-ONS-03)."""

    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="checks")
    #: {metric key: measured number} for the ONS equipment rules that apply to the device's category.
    readings = models.JSONField(_("readings"), default=dict, blank=True)
    functional = models.BooleanField(_("works as intended"))
    #: Computed when recorded: every reading meets its rule and the device works.
    passed = models.BooleanField(_("passed"), default=False)
    results = models.JSONField(_("results"), default=list, blank=True)
    checked_at = models.DateTimeField(_("checked at"))
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("equipment check")
        verbose_name_plural = _("equipment checks")
        ordering = ["-checked_at", "-pk"]

    def __str__(self):
        return f"{self.booking} · {self.checked_at:%Y-%m-%d %H:%M}"


class Rehearsal(TimeStampedModel):
    """场地预先试音视频: the AV rehearsal of a project (CCP-06)."""

    project = models.ForeignKey(
        "projects.MeetingProject", on_delete=models.CASCADE, related_name="rehearsals"
    )
    held_at = models.DateTimeField(_("held at"))
    held_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("AV rehearsal")
        verbose_name_plural = _("AV rehearsals")
        ordering = ["-held_at"]

    def __str__(self):
        return f"{self.project} · {self.held_at:%Y-%m-%d %H:%M}"
