"""What we hold about a person, why, for how long and who sees it (docs/privacy.md).

One list feeds the public statement (/privacy/) and each person's "who can see my data"
page, so the two can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from people.enums import RoleKind


@dataclass(frozen=True)
class DataPart:
    key: str
    what: str
    why: str
    kept: str
    #: Who can see it, as shown to people.
    seen_by: tuple[str, ...]
    #: The roles this part exists for; empty: everyone with an account.
    kinds: tuple[str, ...] = ()


UNTIL_ANONYMISED = _("tot twee jaar na het einde van de gesprekken van het programmajaar")

PARTS: list[DataPart] = [
    DataPart(
        "account",
        _("Uw account: naam, e-mailadres, telefoonnummer, taal"),
        _("om in te loggen en u te kunnen bereiken"),
        UNTIL_ANONYMISED,
        (_("uzelf"), _("de programmastaf van uw programma")),
    ),
    DataPart(
        "mentor_profile",
        _(
            "Uw mentorprofiel: organisatie, functie, postcode, verbetermethoden, reisafstand, "
            "beschikbare maanden, introductie"
        ),
        _("om u te koppelen aan een schoolleider in uw regio"),
        UNTIL_ANONYMISED,
        (
            _("uzelf"),
            _("de programmastaf"),
            _("uw schoolleider, zodra de koppeling bekend is (naam, organisatie, introductie)"),
        ),
        (RoleKind.MENTOR,),
    ),
    DataPart(
        "schoolleider_profile",
        _("Uw gegevens als schoolleider: school, functie, voorkeuren en wensen voor de mentor"),
        _("om u te koppelen aan een passende mentor"),
        UNTIL_ANONYMISED,
        (
            _("uzelf"),
            _("de programmastaf"),
            _("uw mentor, zodra de koppeling bekend is"),
            _("in het expertcoachprogramma: de expertcoach van uw school (naam, e-mail, telefoon)"),
        ),
        (RoleKind.SCHOOLLEIDER,),
    ),
    DataPart(
        "expertcoach_profile",
        _("Uw gegevens als expertcoach: postcode, regio's, capaciteit"),
        _("om scholen aan u toe te wijzen"),
        UNTIL_ANONYMISED,
        (
            _("uzelf"),
            _("de programmastaf"),
            _("de schoolleiders van de scholen die u begeleidt (uw naam, e-mail en telefoon)"),
        ),
        (RoleKind.EXPERTCOACH,),
    ),
    DataPart(
        "pair",
        _("Uw koppel en de school"),
        _("om het programma uit te voeren"),
        UNTIL_ANONYMISED,
        (_("uzelf en uw koppelgenoot"), _("de programmastaf")),
        (RoleKind.MENTOR, RoleKind.SCHOOLLEIDER),
    ),
    DataPart(
        "meetings",
        _("De gesprekken: voorgestelde en geplande tijden, plaats, of een gesprek is gehouden"),
        _("om samen te plannen en de voortgang te volgen"),
        UNTIL_ANONYMISED,
        (_("uzelf en uw koppelgenoot"), _("de programmastaf (alleen de status en datum)")),
        (RoleKind.MENTOR, RoleKind.SCHOOLLEIDER),
    ),
    DataPart(
        "notes",
        _("Uw eigen aantekeningen en de afspraken van uw koppel"),
        _("voor uw eigen werk als koppel"),
        _("tot een jaar na het einde van de gesprekken"),
        (_("alleen uw koppel; nooit de programmastaf, het rapport of een export"),),
        (RoleKind.MENTOR, RoleKind.SCHOOLLEIDER),
    ),
    DataPart(
        "feedback",
        _("Uw feedback: cijfer, wat hielp, wat beter kan"),
        _("om het programma te verbeteren"),
        UNTIL_ANONYMISED,
        (
            _("uzelf"),
            _("de programmastaf (uw naam alleen als u daar toestemming voor gaf)"),
            _("nooit uw koppelgenoot"),
        ),
        (RoleKind.MENTOR, RoleKind.SCHOOLLEIDER),
    ),
    DataPart(
        "webinars",
        _("Uw aanmelding voor een webinar en of u erbij was"),
        _("om het webinar te organiseren"),
        UNTIL_ANONYMISED,
        (_("uzelf"), _("de programmastaf")),
        (RoleKind.MENTOR,),
    ),
    DataPart(
        "emails",
        _("De e-mails die het platform u stuurde"),
        _("om te kunnen nagaan of een bericht is aangekomen"),
        UNTIL_ANONYMISED,
        (_("uzelf (in uw mailbox)"), _("de programmastaf")),
    ),
    DataPart(
        "interest",
        _("Uw naam en e-mailadres op de lijst voor de volgende aanmeldronde"),
        _("om u één e-mail te sturen als de aanmelding voor mentoren opengaat"),
        _("een jaar"),
        (_("de programmastaf"),),
        ("interest",),
    ),
]


def parts_for(kinds: set[str]) -> list[DataPart]:
    """The parts that exist for someone with these roles (the account always does)."""
    return [p for p in PARTS if not p.kinds or set(p.kinds) & kinds]
