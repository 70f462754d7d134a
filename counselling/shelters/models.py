"""Shelters: rooms, beds, stays (with the bed occupancies behind them) and bed holds.

The models moved here from the counselling app; their tables keep the names they
had there (`Meta.db_table`), and their audit events keep the object type they had
(`audit_object_type`), so the trail of a stay reads the same before and after."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from counselling.record import Record
from ngo.lib.crypto import EncryptedTextField
from ngo.lib.versions import Versioned


class Shelter(Versioned, Record):
    audit_object_type = "counselling.shelter"

    branch = models.ForeignKey(
        "accounts.Branch",
        on_delete=models.PROTECT,
        related_name="shelters",
        verbose_name=_("branch"),
    )
    name = models.CharField(_("name"), max_length=100)
    # What staff of other branches see on the free-beds screen (never the address).
    public_name = models.CharField(
        _("public name"),
        max_length=100,
        blank=True,
        help_text=_("Shown to other branches with the free beds; blank: the name."),
    )
    # The address of a shelter is confidential: survivors hide there.
    address = EncryptedTextField(_("address"), null=True, blank=True)
    max_stay_days = models.PositiveSmallIntegerField(
        _("maximum stay (days)"), default=180, validators=[MinValueValidator(1)]
    )
    hold_hours = models.PositiveSmallIntegerField(
        _("bed hold (hours)"),
        default=2,
        validators=[MinValueValidator(1), MaxValueValidator(72)],
        help_text=_("How long a bed stays held for a referral on its way."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        db_table = "counselling_shelter"
        ordering = ["branch__code", "name"]
        verbose_name = _("shelter")
        verbose_name_plural = _("shelters")
        constraints = [
            models.UniqueConstraint(fields=["branch", "name"], name="shelter_name_unique")
        ]

    def __str__(self):
        return self.name

    @property
    def shown_name(self) -> str:
        return self.public_name or self.name


class Room(Versioned, Record):
    audit_object_type = "counselling.room"

    shelter = models.ForeignKey(Shelter, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("room"), max_length=50)
    out_of_service = models.BooleanField(
        _("out of service"),
        default=False,
        help_text=_("No bed of a room out of service is admitted to or held."),
    )
    out_of_service_note = models.CharField(_("out-of-service note"), max_length=200, blank=True)

    class Meta:
        db_table = "counselling_room"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["shelter", "name"], name="room_name_unique")]

    def __str__(self):
        return self.name

    @property
    def audit_branch_id(self):
        return self.shelter.branch_id


class BedKind(models.TextChoices):
    ADULT = "adult", _("Adult bed")
    COT = "cot", _("Child cot")


class Bed(Versioned, Record):
    audit_object_type = "counselling.bed"

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="beds")
    label = models.CharField(_("bed"), max_length=20)
    kind = models.CharField(
        _("kind"), max_length=10, choices=BedKind.choices, default=BedKind.ADULT
    )
    out_of_service = models.BooleanField(_("out of service"), default=False)
    out_of_service_until = models.DateField(
        _("out of service until"),
        null=True,
        blank=True,
        help_text=_("Blank: until it is put back in service."),
    )
    out_of_service_note = models.CharField(_("out-of-service note"), max_length=200, blank=True)

    class Meta:
        db_table = "counselling_bed"
        ordering = ["room__name", "label"]
        constraints = [models.UniqueConstraint(fields=["room", "label"], name="bed_label_unique")]

    def __str__(self):
        return f"{self.room.name}-{self.label}"

    @property
    def audit_branch_id(self):
        return self.room.shelter.branch_id

    def in_service_on(self, day) -> bool:
        """Neither the bed nor its room is out of service on `day` (a bed out of
        service until a date is back on the day after)."""
        if self.room.out_of_service:
            return False
        if not self.out_of_service:
            return True
        return self.out_of_service_until is not None and day > self.out_of_service_until


class DischargeDestination(models.TextChoices):
    HOME = "home", _("Home")
    INDEPENDENT = "independent", _("Independent housing")
    OTHER_SHELTER = "other_shelter", _("Another shelter")
    RETURNED = "returned", _("Returned to country of origin")
    HOSPITAL = "hospital", _("Hospital")
    UNKNOWN = "unknown", _("Unknown")


class Stay(Versioned, Record):
    """One admission to discharge. The bed(s) she slept in are BedOccupancy rows."""

    audit_object_type = "counselling.stay"

    client = models.ForeignKey("counselling.Client", on_delete=models.PROTECT, related_name="stays")
    case = models.ForeignKey("counselling.Case", on_delete=models.PROTECT, related_name="stays")
    shelter = models.ForeignKey(Shelter, on_delete=models.PROTECT, related_name="stays")
    bed = models.ForeignKey(
        Bed, on_delete=models.PROTECT, related_name="+", verbose_name=_("current bed")
    )
    admitted_on = models.DateField(_("admitted on"))
    expected_leave_on = models.DateField(_("expected to leave on"))
    children = models.ManyToManyField(
        "counselling.Child",
        blank=True,
        related_name="stays",
        verbose_name=_("accompanying children"),
    )
    children_count = models.PositiveSmallIntegerField(_("children with her"), default=0)
    discharged_on = models.DateField(_("discharged on"), null=True, blank=True)
    destination = models.CharField(
        _("destination"), max_length=20, choices=DischargeDestination.choices, blank=True
    )
    discharge_notes = EncryptedTextField(_("discharge notes"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        db_table = "counselling_stay"
        ordering = ["-admitted_on", "-id"]
        verbose_name = _("stay")
        verbose_name_plural = _("stays")
        constraints = [
            models.UniqueConstraint(
                fields=["client"],
                condition=models.Q(discharged_on__isnull=True),
                name="one_open_stay_per_client",
                violation_error_message=_("She already has an open stay."),
            ),
            models.CheckConstraint(
                condition=models.Q(discharged_on__isnull=True)
                | models.Q(discharged_on__gte=models.F("admitted_on")),
                name="stay_discharged_after_admitted",
                violation_error_message=_("Discharge cannot be before admission."),
            ),
            models.CheckConstraint(
                condition=models.Q(expected_leave_on__gte=models.F("admitted_on")),
                name="stay_expected_leave_after_admitted",
                violation_error_message=_("The expected leave date is before admission."),
            ),
        ]

    @property
    def audit_branch_id(self):
        return self.shelter.branch_id

    @property
    def is_open(self) -> bool:
        return self.discharged_on is None


class BedOccupancy(Record):
    """A stay in one bed from `starts_on` until `ends_on` (exclusive; empty while
    she is in it). On PostgreSQL an exclusion constraint forbids two overlapping
    occupancies of a bed (see the migration); services also lock the bed row."""

    audit_object_type = "counselling.bedoccupancy"

    stay = models.ForeignKey(Stay, on_delete=models.CASCADE, related_name="occupancies")
    bed = models.ForeignKey(Bed, on_delete=models.PROTECT, related_name="occupancies")
    # A cot her child sleeps in; empty for her own bed.
    child = models.ForeignKey(
        "counselling.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("child"),
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        db_table = "counselling_bedoccupancy"
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="occupancy_ends_after_start",
            ),
            models.UniqueConstraint(
                fields=["bed"],
                condition=models.Q(ends_on__isnull=True),
                name="one_current_occupancy_per_bed",
            ),
        ]


class BedHold(Record):
    """A bed kept free for a woman on her way (a referral); it lapses by itself."""

    audit_object_type = "counselling.bedhold"

    bed = models.ForeignKey(Bed, on_delete=models.CASCADE, related_name="holds")
    case = models.ForeignKey(
        "counselling.Case",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bed_holds",
    )
    # The request from a counsellor (of any branch) that this hold answers.
    request = models.ForeignKey(
        "shelters.BedRequest",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="holds",
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    held_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expires at"))
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)

    class Meta:
        db_table = "counselling_bedhold"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["bed"],
                condition=models.Q(released_at__isnull=True),
                name="one_unreleased_hold_per_bed",
            ),
        ]

    @property
    def audit_branch_id(self):
        return self.bed.room.shelter.branch_id

    def is_active(self, now=None) -> bool:
        return self.released_at is None and self.expires_at > (now or timezone.now())


class BedRequestUrgency(models.TextChoices):
    TONIGHT = "tonight", _("Tonight (emergency)")
    SOON = "soon", _("Within a few days")
    PLANNED = "planned", _("Planned")


class BedRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", _("Cancelled")


class BedRequest(Record):
    """A counsellor of any branch asks a shelter to keep beds for a woman of her
    case (and cots for her children). The shelter's staff accept it, holding the
    beds (BedHold rows pointing here), or decline it with a reason."""

    audit_object_type = "shelters.bedrequest"

    case = models.ForeignKey(
        "counselling.Case", on_delete=models.PROTECT, related_name="bed_requests"
    )
    shelter = models.ForeignKey(Shelter, on_delete=models.PROTECT, related_name="bed_requests")
    adult_beds = models.PositiveSmallIntegerField(
        _("adult beds"), default=1, validators=[MaxValueValidator(5)]
    )
    cots = models.PositiveSmallIntegerField(
        _("cots"), default=0, validators=[MaxValueValidator(10)]
    )
    children = models.ManyToManyField(
        "counselling.Child", blank=True, related_name="+", verbose_name=_("children with her")
    )
    from_date = models.DateField(_("from"))
    urgency = models.CharField(
        _("urgency"),
        max_length=10,
        choices=BedRequestUrgency.choices,
        default=BedRequestUrgency.SOON,
    )
    reason = EncryptedTextField(_("reason"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=BedRequestStatus.choices,
        default=BedRequestStatus.PENDING,
    )
    decline_reason = EncryptedTextField(_("reason for declining"), null=True, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("bed request")
        verbose_name_plural = _("bed requests")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(adult_beds__gt=0) | models.Q(cots__gt=0),
                name="bed_request_wants_a_bed",
                violation_error_message=_("Ask for at least one bed or cot."),
            ),
            models.CheckConstraint(
                condition=models.Q(status="pending", decided_at__isnull=True)
                | (~models.Q(status="pending") & models.Q(decided_at__isnull=False)),
                name="bed_request_decided_when_not_pending",
            ),
            models.UniqueConstraint(
                fields=["case", "shelter"],
                condition=models.Q(status="pending"),
                name="one_pending_bed_request_per_case_and_shelter",
                violation_error_message=_(
                    "This case already has a pending request at this shelter."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.shelter.shown_name} · {self.from_date:%Y-%m-%d}"

    @property
    def audit_branch_id(self):
        return self.shelter.branch_id

    @property
    def is_pending(self) -> bool:
        return self.status == BedRequestStatus.PENDING
