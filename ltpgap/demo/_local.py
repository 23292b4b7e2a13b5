"""Local names for the ILLUSTRATIVE demo rows, and what each place marks Not applicable.

The organisations and places named exist; what the generated rows say they are doing is
INVENTED for the ltpgap demo and does NOT describe their real plans.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

__all__ = ["LOCALS", "NOTES", "NOT_APPLICABLE", "Local"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Local:
    """The local names a unit's rows use (real organisations; invented plans)."""

    place: str
    council: str
    council_short: str
    acute: str
    maternity_unit: str
    trust: str
    community: str
    mh: str
    children: str
    hospice: str
    vcse: str
    healthwatch: str
    carers: str
    pcns: int
    areas: tuple[str, ...]
    ics_team: bool = False

    def words(self) -> dict[str, object]:
        """The template fields (``areas`` is left to the caller, who picks one)."""
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name != "areas"}


_ELFT = "East London NHS FT (ELFT)"
_BHFT = "Bedfordshire Hospitals NHS FT"

LOCALS: dict[str, Local] = {
    "bedford": Local(
        place="Bedford Borough",
        council="Bedford Borough Council",
        council_short="Bedford BC",
        acute="Bedford Hospital",
        maternity_unit="Bedford Hospital",
        trust=_BHFT,
        community="ELFT community health services",
        mh=_ELFT,
        children="Cambridgeshire Community Services",
        hospice="Sue Ryder St John's Hospice",
        vcse="Age UK Bedfordshire",
        healthwatch="Healthwatch Bedford Borough",
        carers="Carers in Bedfordshire",
        pcns=4,
        areas=("Kempston", "Bedford town centre", "the rural north", "Wootton and Wixams"),
    ),
    "central_beds": Local(
        place="Central Bedfordshire",
        council="Central Bedfordshire Council",
        council_short="Central Beds",
        acute="the L&D and Bedford Hospital",
        maternity_unit="the L&D and Bedford Hospital units",
        trust=_BHFT,
        community="ELFT community health services",
        mh=_ELFT,
        children="Cambridgeshire Community Services",
        hospice="Keech Hospice Care",
        vcse="Bedfordshire Rural Communities Charity",
        healthwatch="Healthwatch Central Bedfordshire",
        carers="Carers in Bedfordshire",
        pcns=6,
        areas=("Dunstable", "Leighton Buzzard", "Houghton Regis", "Biggleswade", "Flitwick"),
    ),
    "luton": Local(
        place="Luton",
        council="Luton Borough Council",
        council_short="Luton BC",
        acute="Luton and Dunstable University Hospital",
        maternity_unit="the L&D",
        trust=_BHFT,
        community="Cambridgeshire Community Services",
        mh=_ELFT,
        children="Cambridgeshire Community Services",
        hospice="Keech Hospice Care",
        vcse="Active Luton",
        healthwatch="Healthwatch Luton",
        carers="Luton carers' centre",
        pcns=5,
        areas=("Bury Park", "Marsh Farm", "Lewsey Farm", "High Town", "Stopsley"),
    ),
    "milton_keynes": Local(
        place="Milton Keynes",
        council="Milton Keynes Council",
        council_short="MK Council",
        acute="Milton Keynes University Hospital NHS FT",
        maternity_unit="MKUH",
        trust="Milton Keynes University Hospital NHS FT",
        community="Central and North West London NHS FT (CNWL)",
        mh="CNWL",
        children="CNWL children's services",
        hospice="Willen Hospice",
        vcse="Community Action: MK",
        healthwatch="Healthwatch Milton Keynes",
        carers="Carers MK",
        pcns=8,
        areas=("Bletchley", "Wolverton", "Newport Pagnell and Olney", "Central Milton Keynes"),
    ),
    "blmk": Local(
        place="BLMK",
        council="the four BLMK councils",
        council_short="BLMK",
        acute="the three BLMK acute hospitals",
        maternity_unit="the three BLMK maternity units",
        trust="BLMK providers",
        community="ELFT, CNWL and Cambridgeshire Community Services",
        mh="ELFT and CNWL",
        children="the BLMK children's providers",
        hospice="the BLMK hospices",
        vcse="the BLMK VCSE alliance",
        healthwatch="the four BLMK Healthwatch",
        carers="the BLMK carers' organisations",
        pcns=23,
        areas=("Luton", "Milton Keynes", "Bedford Borough", "Central Bedfordshire"),
        ics_team=True,
    ),
}


#: Notes for Evidence and notes, by what the row says.
NOTES: dict[str, tuple[str, ...]] = {
    "done": (
        "Reported to the {place} place board",
        "Quarterly contract monitoring",
        "In the monthly performance pack",
        "Audit showed full coverage",
    ),
    "part": (
        "Coverage gaps remain in {area}",
        "Rest of {place} in the next phase",
        "Uptake uneven across practices",
    ),
    "doing": (
        "Funded from service development funding",
        "Two of five posts recruited",
        "Milestones on the programme risk log",
        "Depends on recruitment",
        "Mobilisation plan agreed with {council}",
    ),
    "plan": (
        "Subject to next year's allocations",
        "Business case due at the place board",
        "Waiting for national guidance",
    ),
    "late": (
        "Delayed by recruitment",
        "Depends on a later national funding wave",
        "Procurement being re-run",
        "Capital bid unsuccessful; resubmitting",
        "Estates works slipped",
    ),
    "override_red": (
        "Staffing gaps mean the plan will not hold",
        "Provider has flagged the timetable as at risk",
    ),
    "override_amber": (
        "Service live but funding is non-recurrent",
        "In place but performance below the standard for three months",
    ),
    "override_green": (
        "Partial by design: it covers the whole eligible cohort",
        "Remaining practices go live next month; assured by the place board",
    ),
}

#: Commitments a place marks Not applicable, with the reason it writes in the notes.
NOT_APPLICABLE: dict[str, dict[str, str]] = {
    "central_beds": {
        "1.22": "No type 1 emergency department in Central Bedfordshire: residents use the "
        "L&D, Bedford Hospital and Lister, reported by those hospitals' places",
        "1.30": "No type 1 emergency department in Central Bedfordshire (SDEC is at the L&D "
        "and Bedford Hospital)",
        "1.32": "No acute hospital in Central Bedfordshire",
        "3.10": "No maternity unit in Central Bedfordshire; covered by the L&D and Bedford rows",
        "3.81": "No acute hospital in Central Bedfordshire",
    },
    "bedford": {
        "2.21b": "The CCG holds no fleet or estate here; Bedford Hospital's Green Plan covers it"
    },
    "luton": {"2.21b": "No NHS fleet or estate held by the CCG; the L&D Green Plan covers it"},
    "milton_keynes": {"2.21b": "MK CCG owns no vehicles or buildings; MKUH and CNWL report this"},
}
