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


class Room(Record):
    audit_object_type = "counselling.room"

    shelter = models.ForeignKey(Shelter, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("room"), max_length=50)

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


class Bed(Record):
    audit_object_type = "counselling.bed"

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="beds")
    label = models.CharField(_("bed"), max_length=20)
    kind = models.CharField(
        _("kind"), max_length=10, choices=BedKind.choices, default=BedKind.ADULT
    )
    out_of_service = models.BooleanField(_("out of service"), default=False)

    class Meta:
        db_table = "counselling_bed"
        ordering = ["room__name", "label"]
        constraints = [models.UniqueConstraint(fields=["room", "label"], name="bed_label_unique")]

    def __str__(self):
        return f"{self.room.name}-{self.label}"

    @property
    def audit_branch_id(self):
        return self.room.shelter.branch_id


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
