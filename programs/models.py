"""Program years, regions, schools and which schools take part in a year."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from places import holidays
from places.geo import InvalidPostcode, UnknownPostcode
from places.geocoding import lookup as place_lookup

from .enums import Phase, ProgramKind, Sector


class ProgramYear(models.Model):
    """One run of a program (mentoring project or expertcoach guidance) in a school year."""

    name = models.CharField(_("naam"), max_length=200)
    kind = models.CharField(_("soort programma"), max_length=20, choices=ProgramKind.choices)
    school_year = models.CharField(
        _("schooljaar"), max_length=9, help_text=_("Bijvoorbeeld 2026-2027.")
    )
    registration_opens = models.DateField(_("aanmelding open vanaf"))
    registration_closes = models.DateField(_("aanmelding sluit op"))
    webinar_start = models.DateField(_("webinars vanaf"))
    webinar_end = models.DateField(_("webinars tot en met"))
    matching_date = models.DateField(_("datum matching"))
    meetings_start = models.DateField(_("gesprekken vanaf"))
    meetings_end = models.DateField(_("gesprekken tot en met"))
    meeting_gap_days = models.PositiveSmallIntegerField(
        _("dagen tussen de gesprekken"),
        default=21,
        validators=[MinValueValidator(7), MaxValueValidator(60)],
        help_text=_(
            "Zoveel dagen liggen er minstens tussen twee gesprekken van een koppel "
            "(standaard drie weken)."
        ),
    )
    closing_date = models.DateField(
        _("afsluiting"),
        null=True,
        blank=True,
        help_text=_(
            "Op deze dag sluit het programmajaar af (meestal maart of april) en gaat de "
            "afsluitende vragenlijst open."
        ),
    )
    is_archived = models.BooleanField(_("gearchiveerd"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("programmajaar")
        verbose_name_plural = _("programmajaren")
        ordering = ["-school_year", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "school_year"], name="unique_program_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.school_year}"

    @property
    def is_mentoring(self) -> bool:
        return self.kind == ProgramKind.MENTOR_LEADER

    @property
    def start_year(self) -> int:
        return int(self.school_year[:4])

    @property
    def closing_survey_open(self) -> bool:
        """The closing survey opens on the closing date (at once if none is set)."""
        from django.utils import timezone

        return self.closing_date is None or timezone.localdate() >= self.closing_date

    def clean(self) -> None:
        errors: dict[str, str] = {}
        parts = (self.school_year or "").split("-")
        if (
            len(parts) != 2
            or not all(p.isdigit() and len(p) == 4 for p in parts)
            or int(parts[1]) != int(parts[0]) + 1
        ):
            errors["school_year"] = _("Schrijf het schooljaar als 2026-2027.")
        pairs = [
            ("registration_opens", "registration_closes"),
            ("webinar_start", "webinar_end"),
            ("meetings_start", "meetings_end"),
        ]
        for start, end in pairs:
            a, b = getattr(self, start), getattr(self, end)
            if a and b and a > b:
                errors[end] = _("Deze datum ligt voor de begindatum.")
        if self.matching_date and self.meetings_end and self.matching_date > self.meetings_end:
            errors["matching_date"] = _("De matching moet voor het einde van de gesprekken liggen.")
        errors.update(self._order_errors(errors))
        if errors:
            raise ValidationError(errors)

    def _order_errors(self, known: dict) -> dict[str, str]:
        """The steps must follow each other: registration and webinars before the matching
        (mentoring), the matching before the meetings begin."""
        errors: dict[str, str] = {}
        match = self.matching_date
        if not match:
            return errors
        if self.is_mentoring:
            closes = self.registration_closes
            if closes and closes > match and "registration_closes" not in known:
                errors["registration_closes"] = _(
                    "De aanmelding sluit na de matching (%(date)s); zet de sluiting op of vóór "
                    "de datum van de matching."
                ) % {"date": date_format(match, "j F Y")}
            end = self.webinar_end
            if end and end > match and "webinar_end" not in known:
                errors["webinar_end"] = _(
                    "De webinars lopen door na de matching (%(date)s); ze zijn bedoeld als "
                    "voorbereiding en horen ervoor te liggen."
                ) % {"date": date_format(match, "j F Y")}
        closing = self.closing_date
        first = self.meetings_start
        if closing and first and closing < first and "closing_date" not in known:
            errors["closing_date"] = _(
                "De afsluiting ligt vóór het begin van de gesprekken (%(date)s); de afsluitende "
                "vragenlijst gaat pas open als de gesprekken gevoerd zijn."
            ) % {"date": date_format(first, "j F Y")}
        start = self.meetings_start
        if start and start < match and "meetings_start" not in known:
            errors["meetings_start"] = _(
                "De gesprekken beginnen vóór de matching (%(date)s); koppels kunnen pas plannen "
                "als ze elkaar kennen."
            ) % {"date": date_format(match, "j F Y")}
        return errors

    def timeline(self) -> list[tuple[str, object, object]]:
        """The steps of the year in order: (label, start, end)."""
        steps = [
            (_("Aanmelding mentoren"), self.registration_opens, self.registration_closes),
            (_("Webinars"), self.webinar_start, self.webinar_end),
            (_("Matching gepubliceerd"), self.matching_date, None),
            (_("Gesprekken"), self.meetings_start, self.meetings_end),
        ]
        if self.closing_date:
            steps.append((_("Afsluiting en vragenlijst"), self.closing_date, None))
        if not self.is_mentoring:
            steps = [s for s in steps if s[0] != _("Aanmelding mentoren")]
        return steps


class Region(models.Model):
    """A staff-defined region: a set of provinces and/or municipalities.

    Municipalities take precedence over provinces, so a region "Rijnmond" can carve a few
    municipalities out of Zuid-Holland.
    """

    name = models.CharField(_("naam"), max_length=100, unique=True)
    provinces = models.JSONField(_("provincies"), default=list, blank=True)
    municipalities = models.JSONField(_("gemeenten"), default=list, blank=True)
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("regio")
        verbose_name_plural = _("regio's")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def resolver(cls):
        """Return a function (province, municipality) -> Region | None, loading regions once."""
        by_municipality: dict[str, Region] = {}
        by_province: dict[str, Region] = {}
        for region in cls.objects.all():
            for m in region.municipalities or []:
                by_municipality.setdefault(m.strip().lower(), region)
            for p in region.provinces or []:
                by_province.setdefault(p.strip().lower(), region)

        def resolve(province: str, municipality: str = "") -> Region | None:
            if municipality and municipality.strip().lower() in by_municipality:
                return by_municipality[municipality.strip().lower()]
            return by_province.get((province or "").strip().lower())

        return resolve


class School(models.Model):
    """A school location (vestiging), identified by BRIN code + vestiging number."""

    brin = models.CharField(_("BRIN-code"), max_length=4)
    vestiging = models.CharField(_("vestiging"), max_length=2, blank=True, default="00")
    name = models.CharField(_("naam"), max_length=255)
    sector = models.CharField(_("sector"), max_length=3, choices=Sector.choices)
    street = models.CharField(_("straat"), max_length=120, blank=True)
    house_number = models.CharField(_("huisnummer"), max_length=20, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7)
    pc4 = models.CharField(max_length=4, db_index=True)
    place = models.CharField(_("plaats"), max_length=100, blank=True)
    municipality = models.CharField(_("gemeente"), max_length=100, blank=True)
    province = models.CharField(_("provincie"), max_length=50, blank=True)
    region = models.ForeignKey(
        Region, verbose_name=_("regio"), null=True, blank=True, on_delete=models.SET_NULL
    )
    phase = models.CharField(
        _("leerKRACHT-fase"), max_length=12, choices=Phase.choices, default=Phase.START
    )
    joined_year = models.PositiveIntegerField(_("jaar van deelname"), null=True, blank=True)
    # The official holiday region follows from PC4, municipality and province; staff may
    # override it (e.g. a school that keeps another region's holidays) and must say why.
    holiday_region_override = models.CharField(
        _("vakantieregio (handmatig)"),
        max_length=6,
        blank=True,
        choices=[("noord", "noord"), ("midden", "midden"), ("zuid", "zuid")],
    )
    holiday_region_reason = models.CharField(
        _("reden voor een andere vakantieregio"), max_length=300, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("scholen")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["brin", "vestiging"], name="unique_brin_vestiging"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    @property
    def code(self) -> str:
        return f"{self.brin}{self.vestiging}"

    @property
    def official_holiday_region(self) -> str | None:
        """noord, midden or zuid by the official division: PC4 (villages of split
        municipalities), municipality, province. A school imported before the postcode table
        had municipalities takes its PC4's municipality."""
        municipality = self.municipality
        if not municipality and self.pc4:
            try:
                municipality = place_lookup(self.pc4).municipality
            except (UnknownPostcode, InvalidPostcode):
                municipality = ""
        return holidays.region_for(self.province, municipality, self.pc4)

    @property
    def holiday_region(self) -> str | None:
        """The region whose school holidays apply: staff's override, else the official one."""
        return self.holiday_region_override or self.official_holiday_region

    @property
    def street_line(self) -> str:
        """Street and number ("Kerkstraat 12a"); empty when the import had no street."""
        return " ".join(p for p in (self.street, self.house_number) if p)

    @property
    def address(self) -> str:
        """One line: "Kerkstraat 12a, 3581 KP Utrecht" (what a navigation app understands)."""
        town = " ".join(p for p in (self.postcode, self.place) if p)
        return ", ".join(p for p in (self.street_line, town) if p)


class Enrollment(models.Model):
    """A school taking part in a program year."""

    program = models.ForeignKey(ProgramYear, on_delete=models.CASCADE, related_name="enrollments")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="enrollments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("deelnemende school")
        verbose_name_plural = _("deelnemende scholen")
        constraints = [
            models.UniqueConstraint(fields=["program", "school"], name="unique_enrollment"),
        ]

    def __str__(self) -> str:
        return f"{self.school} in {self.program}"


from .importing.models import ImportRun  # noqa: E402, F401  (the import log lives with the import code)


class SchoolCoach(models.Model):
    """A schoolcoach: a teacher of a school in the expertcoach program who carries the
    approach inside the school, a contact for the school's expertcoach (not an account)."""

    program = models.ForeignKey(ProgramYear, on_delete=models.CASCADE, related_name="schoolcoaches")
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="schoolcoaches")
    name = models.CharField(_("naam"), max_length=200)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("schoolcoach")
        verbose_name_plural = _("schoolcoaches")
        ordering = ["name", "pk"]
        indexes = [models.Index(fields=["program", "school"])]

    def __str__(self) -> str:
        return self.name
