"""The rows of an import, typed, from the file to the database.

``reading`` gives text cells; ``planning_schools`` and ``planning_coaches`` turn each row into
a ``SchoolRow`` or a ``PersonRow`` (what it says, checked on its own), then into a
``PlannedChange`` (new, updated, unchanged or an error, with the Dutch messages staff see)
whose ``write`` is what ``services`` commits. All of these are frozen: the commit reads the
plan and never changes it (only ``Notes``, which collects one row's messages while it is
planned, is mutable).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .enums import RowStatus

if TYPE_CHECKING:
    from people.models import ExpertcoachProfile, Role, User
    from programs.models import School


@dataclass(frozen=True, slots=True)
class Person:
    """Someone a row names: a school's schoolleider, or an expertcoach."""

    email: str
    first_name: str
    last_name: str


@dataclass(frozen=True, slots=True)
class SchoolValues:
    """A school's own fields as the file gives them (names as on ``School``).

    ``None`` for street, house number, phase and year of joining: the file does not set it, so
    a stored value stays. ``region_id`` is worked out from province and municipality.
    """

    name: str
    sector: str
    postcode: str
    pc4: str
    place: str
    municipality: str
    province: str
    street: str | None = None
    house_number: str | None = None
    phase: str | None = None
    joined_year: int | None = None
    region_id: int | None = None

    def with_address(
        self, place: str, municipality: str, province: str, region_id: int | None
    ) -> SchoolValues:
        """A copy with these place names and region (``dataclasses.replace`` without its
        introspection: this runs once per row)."""
        return SchoolValues(
            name=self.name,
            sector=self.sector,
            postcode=self.postcode,
            pc4=self.pc4,
            place=place,
            municipality=municipality,
            province=province,
            street=self.street,
            house_number=self.house_number,
            phase=self.phase,
            joined_year=self.joined_year,
            region_id=region_id,
        )

    def given(self) -> dict[str, Any]:
        """Field → value for every field this row writes, in the order of the preview."""
        values: dict[str, Any] = {
            "name": self.name,
            "sector": self.sector,
            "postcode": self.postcode,
            "pc4": self.pc4,
            "place": self.place,
            "municipality": self.municipality,
            "province": self.province,
        }
        for name in ("street", "house_number", "phase", "joined_year"):
            value = getattr(self, name)
            if value is not None:
                values[name] = value
        values["region_id"] = self.region_id
        return values


@dataclass(frozen=True, slots=True)
class SchoolRow:
    """One row of a schools file, read and checked on its own (no database yet)."""

    line: int
    key: str  # "12XA00", or the BRIN as written when there is no valid code
    brin: str  # "" when missing or invalid
    vestiging: str  # "" when invalid
    values: SchoolValues
    leader: Person | None
    errors: tuple[str, ...] = ()

    @property
    def code(self) -> str:
        """BRIN + vestiging when both are valid (what identifies a school), else ""."""
        return self.brin + self.vestiging if self.brin and self.vestiging else ""


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One row of an expertcoaches file, read and checked on its own (no database yet)."""

    line: int
    email: str  # lower case when valid, else as written
    first_name: str
    last_name: str
    postcode: str
    pc4: str
    capacity: int | None  # None: the cell was empty (a stored value stays)
    max_travel_km: int | None
    region_ids: frozenset[int] | None  # None: no regions column or an empty cell
    errors: tuple[str, ...] = ()

    @property
    def person(self) -> Person:
        """The expertcoach's address and names."""
        return Person(self.email, self.first_name, self.last_name)


class LeaderAction(enum.StrEnum):
    """What committing does for a row's schoolleider."""

    NONE = ""  # already this school's schoolleider in this program
    INVITE = "invite"  # no account yet: create one and send an invitation
    ADD_ROLE = "add_role"  # an account without a role in this program
    ADD_PROFILE = "add_profile"  # a schoolleider role in this program without a school


@dataclass(frozen=True, slots=True)
class LeaderWrite:
    """A schoolleider to link to the row's school."""

    person: Person
    action: LeaderAction
    user: User | None = None  # the existing account
    role: Role | None = None  # the existing schoolleider role in this program


@dataclass(frozen=True, slots=True)
class SchoolWrite:
    """What committing a valid school row writes."""

    row: SchoolRow
    values: SchoolValues  # the row's values with place names and region filled in
    school: School | None  # the stored school; None: create it
    changed: tuple[str, ...]  # fields of the stored school to overwrite
    enroll: bool  # enroll the school in this program
    leader: LeaderWrite | None

    @property
    def invites(self) -> bool:
        """Committing creates the schoolleider's account and invites them."""
        return self.leader is not None and self.leader.action == LeaderAction.INVITE


@dataclass(frozen=True, slots=True)
class CoachWrite:
    """What committing a valid expertcoach row writes."""

    row: PersonRow
    user: User | None  # the existing account; None: create it and invite
    role: Role | None  # the existing expertcoach role in this program
    profile: ExpertcoachProfile | None  # the existing profile; None: create it
    changed: tuple[str, ...] = ()  # profile fields to overwrite
    regions_changed: bool = False

    @property
    def invites(self) -> bool:
        """Committing creates the expertcoach's account and invites them."""
        return self.user is None


@dataclass(frozen=True, slots=True)
class PlannedChange:
    """One data row of the preview: its status, the messages staff see, and the write.

    ``write`` is None for a row with errors (it cannot be committed).
    """

    line: int
    status: str  # a RowStatus
    key: str = ""
    label: str = ""
    detail: str = ""
    email: str = ""
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    changes: tuple[str, ...] = ()
    write: SchoolWrite | CoachWrite | None = None

    @property
    def status_label(self) -> str:
        """The status in the interface language."""
        return str(RowStatus(self.status).label)

    @property
    def invites(self) -> bool:
        """Committing sends this row's person an invitation."""
        return self.write is not None and self.write.invites


@dataclass(slots=True)
class Notes:
    """The messages collected while one row is planned, before it is frozen."""

    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)

    def planned(
        self, *, line: int, status: str, write: SchoolWrite | CoachWrite | None = None, **shown
    ) -> PlannedChange:
        """The row's ``PlannedChange``; ``shown`` are its key, label, detail and email."""
        return PlannedChange(
            line=line,
            status=status,
            errors=tuple(self.errors),
            warnings=tuple(self.warnings),
            changes=tuple(self.changes),
            write=write,
            **shown,
        )
