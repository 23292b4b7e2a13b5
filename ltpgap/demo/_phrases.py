"""Phrase banks for the ILLUSTRATIVE demo rows: leads and initiative texts per theme.

Everything here is INVENTED for the ltpgap demo; it does NOT describe any organisation's
real plans. Leads are roles, never people. Texts mostly start from the commitment's title
(so they always fit it) and add who is doing it, where and how far it has got.
"""

from __future__ import annotations

from dataclasses import dataclass

from ltpgap.catalogue import Commitment

__all__ = ["CLINICAL_LEADS", "ICS_LEADS", "PARTIAL", "THEMES", "Theme", "lead_for", "theme_of"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Theme:
    """Words for one kind of commitment: leads and initiative texts by stage."""

    leads: tuple[str, ...]
    done: tuple[str, ...]  # In place (Full coverage)
    doing: tuple[str, ...]  # In progress
    plan: tuple[str, ...]  # Planned
    gap: tuple[str, ...]  # why Status is None


def _theme(leads: str, done: str, doing: str, plan: str, gap: str) -> Theme:
    """A theme from ``;;``-separated lists (keeps the banks below one line per stage)."""

    def split(text: str) -> tuple[str, ...]:
        return tuple(part.strip() for part in text.split(";;"))

    return Theme(leads=split(leads), done=split(done), doing=split(doing), plan=split(plan),
                 gap=split(gap))  # fmt: skip


# fmt: off
THEMES: dict[str, Theme] = {
    "community": _theme(
        "Head of Community Services Commissioning ;; Head of Integrated Care",
        "{title}: {community} across {place} ;; {title}: {community} team aligned to all {pcns} "
        "PCNs ;; {title}: integrated teams with {council} adult social care",
        "{title}: {community} mobilising, {area} first ;; {title}: pilot in {area}, extending "
        "across {place} ;; {title}: joint specification with {council}; staff recruiting",
        "{title}: business case to the {place} place board ;; {title}: options appraisal with "
        "{community} and {council}",
        "No community provider capacity identified ;; Waiting for the community services review",
    ),
    "pcn": _theme(
        "Head of Primary Care Commissioning ;; PCN Clinical Directors ;; Primary Care "
        "Commissioning Lead",
        "{title}: in all {pcns} {place} PCNs ;; {title}: network contract signed by every "
        "{place} practice",
        "{title}: half of the {pcns} PCNs live, {area} first ;; {title}: PCN workforce plans "
        "agreed; additional roles recruiting",
        "{title}: in the PCN development plans for next year ;; {title}: PCN clinical directors "
        "to agree the model",
        "PCNs have not yet taken this on ;; No PCN capacity until additional roles are in post",
    ),
    "urgent": _theme(
        "Urgent Care Lead ;; A&E Delivery Board Chair ;; Director of Integration",
        "{title}: in place at {acute} ;; {title}: agreed model across {acute} and {council}",
        "{title}: {acute} improvement plan, overseen by the A&E Delivery Board ;; {title}: "
        "seven-day working being introduced at {acute} ;; {title}: pilot with {council} "
        "adult social care",
        "{title}: proposal to the A&E Delivery Board ;; {title}: capital bid for the {acute} "
        "redesign",
        "No agreed model; depends on the urgent care review ;; No capacity at {acute}",
    ),
    "personalised": _theme(
        "Personalised Care Lead",
        "{title}: delivered with {vcse} ;; {title}: in every {place} practice",
        "{title}: roll-out through the {pcns} PCNs ;; {title}: training for practice and "
        "community staff, {area} first ;; {title}: pilot in {area} with {vcse}",
        "{title}: plan agreed with {healthwatch} ;; {title}: to start after the PCN roll-out",
        "No budget for expansion identified ;; Not yet scoped with {council}",
    ),
    "digital_primary": _theme(
        "Digital Lead ;; Primary Care Digital Lead ;; Head of IM&T",
        "{title}: live in every {place} practice ;; {title}: all {pcns} PCNs live",
        "{title}: live in {area}, roll-out continuing ;; {title}: practice roll-out with the GP "
        "IT team ;; {title}: PCN digital champions, {area} first",
        "{title}: in the BLMK digital roadmap ;; {title}: procurement planned through GP IT "
        "Futures",
        "Not funded in this year's GP IT allocation ;; No GP IT capacity this year",
    ),
    "digital": _theme(
        "Digital Lead ;; Chief Clinical Information Officer ;; Head of IM&T",
        "{title}: done across {place} ;; {title}: in place at {trust}",
        "{title}: {trust} programme, go-live phased by site ;; {title}: live in {area}, roll-out "
        "continuing ;; {title}: with the BLMK digital programme",
        "{title}: in the BLMK digital roadmap ;; {title}: business case with {trust}",
        "Not funded in this year's digital allocation ;; Waiting for the shared care record",
    ),
    "integration": _theme(
        "Director of Place ;; Director of Integration ;; Director of Strategy",
        "{title}: agreed with {council} and {healthwatch} ;; {title}: through the {place} place "
        "board",
        "{title}: terms of reference with {council} in draft ;; {title}: engagement with "
        "{healthwatch} under way",
        "{title}: to be set up with {council} next year",
        "No agreed governance yet",
    ),
    "prevention": _theme(
        "Public Health Consultant ({council_short}) ;; Head of Prevention ;; Health Improvement "
        "Lead ({council_short})",
        "{title}: commissioned by {council} public health ;; {title}: in place at {acute} with "
        "{council} public health",
        "{title}: pilot at {acute}, funded by {council} public health ;; {title}: targeted "
        "outreach in {area} with community champions ;; {title}: referrals from all practices, "
        "{area} first",
        "{title}: joint bid with {council} public health ;; {title}: needs assessment first",
        "Public health grant reduced; no provider ;; No funding identified",
    ),
    "sustainability": _theme(
        "Sustainability Lead ;; Estates and Facilities Lead",
        "{title}: in the {trust} Green Plan",
        "{title}: travel plan and EV charging at {acute} ;; {title}: {trust} Green Plan actions",
        "{title}: in the estates strategy",
        "No capital for this yet",
    ),
    "inequalities": _theme(
        "Health Inequalities Lead ;; Head of Partnerships",
        "{title}: commissioned from {vcse} ;; {title}: joint service with {council} ;; {title}: "
        "in the {place} health inequalities plan",
        "{title}: outreach in {area} with {vcse} ;; {title}: pathway agreed with {council}; "
        "recruiting",
        "{title}: needs assessment with {healthwatch} ;; {title}: grant scheme with {vcse}",
        "No provider identified ;; Not yet scoped with {council}",
    ),
    "maternity": _theme(
        "LMNS Programme Lead ;; Head of Midwifery ({trust}) ;; Maternity Commissioner",
        "{title}: in place at {maternity_unit} ;; {title}: through the BLMK LMNS",
        "{title}: LMNS workstream, {maternity_unit} leading ;; {title}: first teams in {area} ;; "
        "{title}: audit and action plan at {maternity_unit}",
        "{title}: in the LMNS plan, staffing to follow ;; {title}: LMNS business case",
        "Midwifery vacancies: no capacity ;; Not yet in the LMNS plan",
    ),
    "cyp_mh": _theme(
        "CAMHS Commissioner ;; Children's Mental Health Lead",
        "{title}: {mh} CAMHS ;; {title}: in place with {mh} and {council}",
        "{title}: {mh} expansion, recruiting ;; {title}: school teams in {area} first",
        "{title}: bid for the next national wave ;; {title}: in the local transformation plan",
        "No funding in the CAMHS transformation plan",
    ),
    "ld": _theme(
        "Learning Disability Lead ;; Transforming Care Programme Lead",
        "{title}: in place with {mh} ;; {title}: jointly with {council}",
        "{title}: {council} and {mh} joint plan ;; {title}: practice training, {area} first",
        "{title}: in the Transforming Care plan",
        "No capacity in the community LD team",
    ),
    "cyp": _theme(
        "Head of Children's Commissioning ;; Children's Clinical Lead",
        "{title}: {children} service ;; {title}: in place with {council}",
        "{title}: {children} pathway redesign ;; {title}: pilot in {area}",
        "{title}: in the children's partnership plan ;; {title}: to scope with {children}",
        "No provider for this yet",
    ),
    "cancer": _theme(
        "Cancer Lead ;; Cancer Clinical Lead (GP)",
        "{title}: in place at {acute} ;; {title}: with the Cancer Alliance",
        "{title}: Cancer Alliance funded, {acute} ;; {title}: GP safety-netting, {area} first ;; "
        "{title}: pathway redesign at {acute}",
        "{title}: Cancer Alliance bid ;; {title}: to start when the national wave opens",
        "No Cancer Alliance funding this year",
    ),
    "ltc": _theme(
        "Long Term Conditions Lead",
        "{title}: service at {acute} ;; {title}: in every {place} practice",
        "{title}: PCN pilot in {area} ;; {title}: community clinics with {community} ;; {title}: "
        "case-finding by PCN pharmacists",
        "{title}: pathway review with {acute} ;; {title}: bid for national funding",
        "No specialist capacity ;; Not prioritised this year",
    ),
    "mental_health": _theme(
        "Mental Health Commissioner ;; Head of Mental Health Commissioning",
        "{title}: {mh} service across {place} ;; {title}: in place with {mh}",
        "{title}: {mh} expansion, recruiting ;; {title}: new model in {area} first ;; {title}: "
        "funded by the mental health investment standard",
        "{title}: {mh} business case ;; {title}: in the mental health strategy",
        "No funding beyond the investment standard",
    ),
    "planned": _theme(
        "Planned Care Lead ;; MSK Lead ;; Outpatient Transformation Lead",
        "{title}: in place at {acute}",
        "{title}: {acute} recovery plan ;; {title}: pilot in {area} PCNs ;; {title}: advice and "
        "guidance for every specialty",
        "{title}: in the planned care programme",
        "Waiting list backlog: no capacity",
    ),
    "research": _theme(
        "Research and Innovation Lead",
        "{title}: with the Eastern AHSN",
        "{title}: research-active practices in {area}",
        "{title}: research strategy in draft",
        "Not yet prioritised",
    ),
    "workforce": _theme(
        "Workforce Lead ;; Head of Organisational Development ;; Director of People",
        "{title}: programme at {trust} ;; {title}: in place across {place} employers",
        "{title}: {trust} programme ;; {title}: joint scheme with {council}",
        "{title}: in the workforce plan",
        "No workforce funding identified",
    ),
    "finance": _theme(
        "Chief Finance Officer ;; Head of Contracting",
        "{title}: delivered in contracts with {trust} ;; {title}: in the QIPP plan",
        "{title}: QIPP scheme with {trust} ;; {title}: Right Care review, {area} practices",
        "{title}: in next year's operating plan",
        "No scheme identified",
    ),
}
# fmt: on

#: The ICS team's leads by theme (ICS-wide roles); others get the ICS Director of Strategy.
ICS_LEADS: dict[str, str] = {
    "finance": "ICS Director of Finance",
    "workforce": "ICS Chief People Officer",
    "digital": "ICS Chief Digital Officer",
    "digital_primary": "ICS Chief Digital Officer",
    "urgent": "ICS Urgent Care Lead",
    "community": "ICS Director of Primary and Community Care",
    "pcn": "ICS Director of Primary and Community Care",
    "mental_health": "ICS Mental Health Lead",
    "ld": "ICS Learning Disability Lead",
    "cancer": "ICS Cancer Lead",
    "ltc": "ICS Clinical Director",
    "research": "ICS Research and Innovation Lead",
    "prevention": "ICS Director of Public Health",
    "inequalities": "ICS Director of Public Health",
}

#: Section (or its start) → theme; first match wins. Titles about pregnancy go to maternity.
_SECTIONS: tuple[tuple[str, str], ...] = (
    ("Out-of-hospital care – primary care networks", "pcn"),
    ("Out-of-hospital care", "community"),
    ("Emergency care", "urgent"),
    ("Personalised care", "personalised"),
    ("Digitally-enabled primary", "digital_primary"),
    ("Digitally-enabled", "digital"),
    ("Integrated care systems", "integration"),
    ("Next steps", "integration"),
    ("Air pollution", "sustainability"),
    ("Health inequalities", "inequalities"),
    ("Smoking", "prevention"),
    ("Obesity (diabetes", "ltc"),
    ("Obesity", "prevention"),
    ("Alcohol", "prevention"),
    ("Antimicrobial", "prevention"),
    ("Maternity", "maternity"),
    ("Children and young people's mental health", "cyp_mh"),
    ("Learning disability", "ld"),
    ("Children and young people with cancer", "cyp"),
    ("Redesigning other health services for children", "cyp"),
    ("Cancer", "cancer"),
    ("Cardiovascular", "ltc"),
    ("Stroke", "ltc"),
    ("Diabetes", "ltc"),
    ("Respiratory", "ltc"),
    ("Adult mental health", "mental_health"),
    ("Short waits", "planned"),
    ("Research", "research"),
    ("Five financial tests", "finance"),
    ("Productivity", "finance"),
    ("Reducing variation", "finance"),
    ("Capital", "finance"),
)
_MATERNITY_WORDS = ("pregnan", "midwif", "maternity", "neonatal", "babies", "stillbirth")

#: Words in a title that pick the theme whatever the section says.
_TITLE_THEMES: tuple[tuple[str, str], ...] = (("outpatient", "planned"),)

#: Leads by a word in the title (outside the children's themes); else the theme's leads.
CLINICAL_LEADS: tuple[tuple[str, str], ...] = (
    ("perinatal mental", "Perinatal Mental Health Lead"),
    ("screening", "Screening and Immunisation Lead"),
    ("vaccin", "Screening and Immunisation Lead"),
    ("immunisation", "Screening and Immunisation Lead"),
    ("carers", "Carers Lead"),
    ("end of life", "End of Life Care Lead"),
    ("care homes", "Care Homes Programme Manager"),
    ("frailty", "Frailty Clinical Lead"),
    ("personal health budgets", "Head of Continuing Healthcare"),
    ("medicines", "Head of Medicines Optimisation"),
    ("stroke", "Stroke Clinical Lead"),
    ("diabet", "Diabetes Clinical Lead"),
    ("glucose", "Diabetes Clinical Lead"),
    ("respirat", "Respiratory Clinical Lead"),
    ("pulmonary", "Respiratory Clinical Lead"),
    ("heart", "Cardiovascular Clinical Lead"),
    ("cardiac", "Cardiovascular Clinical Lead"),
    ("blood pressure", "Cardiovascular Clinical Lead"),
    ("hypercholesterol", "Cardiovascular Clinical Lead"),
)


def theme_of(commitment: Commitment) -> str:
    """The phrase-bank theme for a commitment (from its section and title)."""
    title = commitment.title.lower()
    if any(w in title for w in _MATERNITY_WORDS):
        return "maternity"
    for word, theme in _TITLE_THEMES:
        if word in title:
            return theme
    if commitment.section[:1].isdigit():  # the workforce chapter's numbered sections
        return "workforce"
    for start, theme in _SECTIONS:
        if commitment.section.startswith(start):
            return theme
    return "integration"


def lead_for(commitment: Commitment, pick: float, *, ics: bool = False) -> str:
    """A lead role for the commitment (``pick`` in [0, 1) chooses among the theme's leads)."""
    theme = theme_of(commitment)
    if ics:
        return ICS_LEADS.get(theme, "ICS Director of Strategy")
    if theme not in ("cyp", "cyp_mh"):
        title = commitment.title.lower()
        for word, role in CLINICAL_LEADS:
            if word in title:
                return role
    leads = THEMES[theme].leads
    return leads[int(pick * len(leads))]


#: In place with Partial coverage: what the row says, whatever the theme.
PARTIAL: tuple[str, ...] = (
    "{title}: in place in {area}; the rest of {place} to follow",
    "{title}: in place for part of {place}",
    "{title}: in place, but not yet for every eligible group",
)
