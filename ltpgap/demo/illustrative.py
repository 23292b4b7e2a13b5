"""ILLUSTRATIVE inputs for the BLMK demo. Every initiative, status, date and lead is INVENTED.

This is a made-up example of what the four BLMK places (Bedford Borough, Central
Bedfordshire, Luton, Milton Keynes) and the ICS team might enter in their gap-analysis
workbooks, in the spirit of the July 2019 BLMK governing body paper (seed 002), whose own
Appendix A was marked "Indicative Example only". The organisations named exist; the
initiatives, statuses, coverage, dates and leads attributed to them here do NOT describe their
real plans. The demo writes a notice saying so at the top of each workbook's Read me sheet.

The entries are deliberately varied, as real returns are: statuses typed in different
cases, delivery dates in every accepted form (financial years, quarters, months, UK dates,
real dates), some gaps, some N/A, overrides with (and one without) a reason, a few blanks.

Each table below has one record per commitment, fields separated by ``|`` in the order of
:data:`FIELDS` (trailing fields may be left out; an indented line continues the record above).
``date YYYY-MM-DD`` is written to the workbook as a real date cell, anything else as typed.

Those hand-written rows are the showcase. Around them a deterministic generator
(:mod:`ltpgap.demo._generated`) fills in the rest of a system mid-way through planning: each
place assesses about three quarters of the place-level commitments that apply to it (the ICS
team about 80% of the ICS-level ones), with a plausible mix of Green, Amber and Red, a few
N/A with a reason, a few overrides and a few rows that raise checks. The places differ
(Luton stronger on prevention, Milton Keynes on digital, Central Bedfordshire weaker on
maternity). Texts come from phrase banks, the commitment's title and real local names; leads
are roles, never people. Nothing is random at run time: the same rows every run.

:data:`ILLUSTRATIVE` is the first submission (round 1). :func:`illustrative_round` gives later
ones, in which some initiatives have moved on and a few dates have slipped, so that a history
of snapshots shows movement. All of it is invented for the demo.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from ltpgap.catalogue import Catalogue, load_catalogue
from ltpgap.schema import INPUT_KEYS

__all__ = [
    "FIELDS",
    "HAND_WRITTEN",
    "ILLUSTRATIVE",
    "NOTICE",
    "generate",
    "illustrative_round",
    "parse_table",
    "progress",
]

NOTICE = (
    "ILLUSTRATIVE EXAMPLE: the initiatives, statuses, dates and leads in this workbook were "
    "invented for the ltpgap demo. They are not the real plans of any BLMK organisation."
)

#: The input columns each record fills, in order (keys of ltpgap.schema.INPUT_KEYS).
FIELDS: tuple[str, ...] = INPUT_KEYS

Row = dict[str, object]


def _value(text: str) -> object:
    if text.startswith("date "):
        return date.fromisoformat(text.removeprefix("date "))
    return text


def parse_table(text: str) -> dict[str, Row]:
    """Para → {input key: value} from a ``para | initiatives | status | …`` table."""
    records: list[str] = []
    for line in text.strip("\n").splitlines():
        if line.startswith(" ") and records:
            records[-1] += " " + line.strip()
        elif line.strip():
            records.append(line.strip())
    rows: dict[str, Row] = {}
    for record in records:
        para, *fields = (part.strip() for part in record.split("|"))
        rows[para] = {k: _value(v) for k, v in zip(FIELDS, fields, strict=False) if v}
    return rows


# Luton (illustrative).
LUTON = parse_table(
    """
1.8 | Luton Rapid Response: two-hour crisis response from ELFT community services | In
    progress | Full | Q4 22/23 | Head of Integrated Care | Operating 8am-8pm; 24/7 from Q3
    22/23
1.9 | Five PCNs covering all 26 Luton practices | In place | Full | 2019-07-01 | Primary
    Care Commissioning Lead
1.15 | Care home 'ward round' pilot with the Lea Vale PCN | In progress | Partial | 2022/23
    | Care Homes Programme Manager | 8 of 35 homes aligned to a PCN
1.20 | Dementia Friendly Luton; memory assessment service at the L&D | In place | Full |  |
    Mental Health Commissioner
1.26 | Urgent treatment centre at the L&D front door | In place | Full | September 2020 |
    Urgent Care Lead
1.30 | Same day emergency care unit, L&D | in place | full | 2019/20 | L&D Divisional
    Director, Medicine
1.34 | Discharge to assess pathways 1-3 with Luton Borough Council | In progress | Full |
    31/03/2025 | Director of Integration | Pathway 3 beds depend on council procurement
1.38 | Personalised care roll-out plan | Planned |  |  | Personalised Care Lead
1.39 | Social prescribing link workers in all five PCNs | In place | Full |  | PCN Clinical
    Directors
1.41 |  | None |  |  |  | No funding identified for PHB expansion
1.42 | Luton end of life care strategy refresh with Keech Hospice | In progress | Partial |
    Q2 2023/24 | End of Life Care Lead
2.9 | Luton Smokefree Hospitals pilot at L&D: inpatient tobacco dependence advisers | In
    progress | Partial | Q4 23/24 | Public Health Consultant (Luton BC) | Funded by the
    Luton public health grant for 2 years
2.10 | Smoke-free pregnancy pathway with CO monitoring at booking | In place | Full |
    2022/23 | LMNS Programme Lead
2.14 | Tier 2 weight management, Active Luton | In place | Partial |  | Public Health
    Consultant (Luton BC)
2.15 | Healthier You NDPP referrals from all practices | In place | Full | 2019/20 |
    Diabetes Clinical Lead
2.16 | Diabetes foot MDT at the L&D | In place | Full | 2021/22 | Diabetes Clinical Lead
2.17 | Low calorie diet pilot: Luton bid for wave 2 | Planned | Partial | 2024/25 | Diabetes
    Clinical Lead | Only if the wave 2 bid succeeds
2.20 | Alcohol care team at the L&D, 7 days | In progress | Full | Mar-23 | Public Health
    Consultant (Luton BC)
2.28 | Continuity of carer teams for Bury Park and Marsh Farm | In progress | Partial |
    2023/24 | Head of Midwifery, L&D
2.30 | SMI physical health checks through PCN outreach | In progress | Full | TBC | Mental
    Health Commissioner
3.10 | Saving Babies' Lives v2 in place at the L&D | In place | Full | 2019 | Head of
    Midwifery, L&D
3.26 | CYP eating disorder service, ELFT | In place | Full | 2020/21 | CAMHS Commissioner
3.27 | CAMHS crisis line 8am-10pm | In progress | Partial |  | CAMHS Commissioner
3.28 | Mental health support teams: wave 3 trailblazer (two teams) | In progress | Partial |
    Q3 2022/23 | CAMHS Commissioner
3.39 | HPV vaccination of boys through the school immunisation service | In place | Full |
    date 2019-09-01 | Screening and Immunisation Lead
3.54 | HPV primary screening via the regional laboratory | In place | Full | 2020 |
    Screening and Immunisation Lead
3.56 |  |  |  |  |  |  | Yes
3.60 | Faster diagnosis pathways: lung, prostate, lower GI | In progress | Partial | 2020/21
    | Cancer Lead |  |  | Red | Lower GI pathway paused for staffing
3.90 | Luton Talking Therapies expansion | In progress | Full | 2023/24 | Mental Health
    Commissioner
3.101 |  | None |  |  | Mental Health Commissioner | Out-of-area placements still used at
    times of peak demand
5.31 | Fax machines removed from all practices | In place | Full | April 2020 | Digital Lead
"""
)

# Bedford Borough (illustrative).
BEDFORD = parse_table(
    """
1.8 | Bedford Borough rapid intermediate care team | In place | Full |  | Head of Community
    Services Commissioning
1.9 | Four PCNs across Bedford Borough | In place | Full |  | Primary Care Commissioning
    Lead
1.15 | Enhanced health in care homes: all homes aligned to a PCN | In place | Full | 2020/21
    | Care Homes Programme Manager
1.18 | Frailty register and anticipatory care pilot, Bedford South PCN | Planned | Partial |
    2023/24 | Frailty Clinical Lead
1.20 | Memory assessment service redesign | In progress | Full | Q1 2023/24 | Mental Health
    Commissioner
1.26 | UTC at Bedford Hospital | In progress | Full | 31/12/2020 | Urgent Care Lead
1.30 | Ambulatory emergency care unit extended to SDEC | In place | Full |  | Bedford
    Hospital Divisional Director
1.39 | Social prescribing through the Bedford Borough voluntary sector | In place | Partial
    |  | PCN Clinical Directors
1.42 | Electronic palliative care co-ordination system (EPaCCS) | Planned |  | 2024/25 | End
    of Life Care Lead
1.44 | Online consultations in all practices | In place | Full | March 2020 | Digital Lead
2.9 | Tobacco dependence service at Bedford Hospital | Planned | Full | 2023/24 | Public
    Health Consultant (Bedford BC)
2.10 | Smoke-free pregnancy: CO screening at booking | In progress | Full | 2022/23 | LMNS
    Programme Lead
2.15 | Healthier You NDPP | In place | Full |  | Diabetes Clinical Lead
2.16 |  | None |  |  | Diabetes Clinical Lead | No foot MDT in Bedford
2.20 | Alcohol liaison nurses at Bedford Hospital | In progress | Partial | 2023/24 | Public
    Health Consultant (Bedford BC)
2.21 | Electric pool cars and cycle-to-work scheme | in progress | partial | 2022 |
    Sustainability Lead
2.28 | Continuity of carer team at Bedford Hospital | In progress | Partial | Q4 2023/24 |
    Head of Midwifery, Bedford Hospital
2.30 | SMI health checks: primary care LES | In place | Partial |  | Mental Health
    Commissioner |  |  | Green
3.10 | Saving Babies' Lives in place | In place | Full | 2019 | Head of Midwifery, Bedford
    Hospital
3.26 | CYP eating disorder service, ELFT | In place | Full |  | CAMHS Commissioner
3.29 | Keyworker pilot for children with complex needs | Planned | Partial | 2024 | CAMHS
    Commissioner
3.52 | Early diagnosis: GP education and safety-netting | In progress | Full | 2028 | Cancer
    Lead
3.55 | FIT bowel screening from 58, extending to 50 | In progress | Partial | 2025 |
    Screening and Immunisation Lead
3.90 | IAPT expansion with long-term condition pathways | In progress | Full | Mar 2024 |
    Mental Health Commissioner
3.107 | First contact physiotherapy in two PCNs | In progress | Partial | date 2023-03-31 |
    MSK Lead
4.37 | Health and wellbeing hub for health and care staff | In place | Full |  | Workforce
    Lead
5.31 |  |  |  |  |  | No fax machines in Bedford Borough practices since 2018 | Y
"""
)

# Central Bedfordshire (illustrative).
CENTRAL_BEDS = parse_table(
    """
1.8 | Central Bedfordshire crisis response (ELFT) | In progress | Partial | 2023/24 | Head
    of Integrated Care | Covers Leighton Buzzard and Dunstable; north of the area from 2024
1.9 | Six PCNs | In place | Full | 2019-07 | Primary Care Commissioning Lead
1.15 | Care home support team | In progress | Full | Q4 22/23 | Care Homes Programme Manager
1.20 | Dementia navigators in every PCN | Planned | Full | 2023/24 | Mental Health
    Commissioner
1.26 |  | None |  |  | Urgent Care Lead | No UTC site agreed within Central Bedfordshire
1.34 | Integrated discharge team with Central Bedfordshire Council | In place | Full |  |
    Director of Integration
1.38 | Personalised care and support planning for long-term conditions | In progress |  |
    2023/24 | Personalised Care Lead
1.56 | Central Bedfordshire place board with the council | In place | Full | April 2021 |
    Director of Place
2.9 | Inpatient tobacco treatment through the acute trusts | Planned | Partial |  | Public
    Health Consultant (Central Beds)
2.14 | Weight management tier 2 and 3 | In progress | Partial | 2023/24 | Public Health
    Consultant (Central Beds)
2.15 | Healthier You NDPP | In place | Full | 2019/20 | Diabetes Clinical Lead
2.17 | Low calorie diet programme | Planned | Full | 2023/24 | Diabetes Clinical Lead
2.26 | Targeted flu and childhood immunisation catch-up in rural areas | In progress |
    Partial | 2023/24 | Screening and Immunisation Lead
2.28 | Continuity of carer through the L&D and Bedford teams | In progress | Partial |
    2024/25 | LMNS Programme Lead
2.30 | SMI physical health checks | In progress | Full | 2023/24 | Mental Health
    Commissioner
2.33 | Carers' support with Carers in Bedfordshire | In place | Full |  | Carers Lead
3.26 | CYP eating disorder service | In place | Full | 2020/21 | CAMHS Commissioner
3.27 | CAMHS crisis and home treatment | Planned |  | Q3 2023/24 | CAMHS Commissioner
3.28 | Mental health support teams in schools | In progress | Partial | 2023/24 | CAMHS
    Commissioner
3.31 | Learning disability annual health checks | In place | Partial |  | Learning
    Disability Lead
3.54 | HPV primary screening | In place | Full | 2020 | Screening Lead
3.56 | Targeted lung health checks |  |  |  |  | Not in a national lung health check wave |
    Yes
3.67 | NHS Health Checks recovery plan | In progress | Full | 2022/23 | Public Health
    Consultant (Central Beds)
3.90 | Talking therapies expansion | In progress | Full | 2023/24 | Mental Health
    Commissioner
3.109 | Elective recovery: 52-week waits | In progress | Full | 2024/25 | Planned Care Lead
6.17 | Medicines optimisation in care homes | In place | Full |  | Head of Medicines
    Optimisation |  |  | Amber | Savings target missed in 2021/22
"""
)

# Milton Keynes (illustrative).
MILTON_KEYNES = parse_table(
    """
1.8 | MK urgent community response (CNWL), 8am-8pm | In place | Full |  | Head of Community
    Services Commissioning
1.9 | Eight PCNs across Milton Keynes | In place | Full | 2019-07 | Primary Care
    Commissioning Lead
1.10 | Community services capacity review | Planned |  | 2023/24 | Head of Community
    Services Commissioning
1.15 | MK care homes enhanced support service | In place | Full | 2021/22 | Care Homes
    Programme Manager
1.20 | Dementia support service with Age UK MK | In place | Partial |  | Mental Health
    Commissioner
1.26 | MK urgent treatment centre (Whitehouse) | In place | Full | 2019/20 | Urgent Care
    Lead
1.30 | SDEC at MKUH | In place | Full | 2019/20 | MKUH Divisional Director
1.34 | Home First discharge with MK Council | In progress | Full | Q4 23/24 | Director of
    Integration
1.41 | Personal health budgets for continuing healthcare and wheelchairs | In place |
    Partial |  | Personalised Care Lead
1.46 | NHS App promotion through practices | In progress | Full | 31/03/2024 | Digital Lead
2.9 | Smokefree MKUH: inpatient tobacco treatment | In progress | Full | 2023/24 | Public
    Health Consultant (MK Council)
2.10 | Smoke-free pregnancy pathway | Planned | Full | 2024/25 | LMNS Lead
2.15 | Healthier You NDPP | In place | Full |  | Diabetes Clinical Lead
2.16 | Foot protection service | In place | Partial |  | Diabetes Clinical Lead
2.20 |  | None |  |  |  | No alcohol care team at MKUH yet
2.28 | Continuity of carer for Bletchley and Wolverton | In progress | Partial | Q2 2023/24
    | Head of Midwifery, MKUH
2.37 | VCSE grants programme with Community Action MK | In place | Full |  | Head of
    Partnerships
3.9 | Maternity safety improvement plan | In progress | Full | 2025 | Head of Midwifery,
    MKUH
3.10 | Saving Babies' Lives | In place | Full | 2019 | Head of Midwifery, MKUH
3.26 | CYP eating disorder service (CNWL) | In place | Full |  | CAMHS Commissioner
3.28 | Mental health support teams in schools | In progress | Partial | 2023/24 | CAMHS
    Commissioner
3.39 | HPV vaccination for boys | In place | Full | 2019/20 | Screening and Immunisation
    Lead
3.52 | Cancer early diagnosis programme with the Cancer Alliance | In progress | Full | 2028
    | Cancer Lead
3.56 | Targeted lung health checks: wave 2 site | In progress | Full | 2023/24 | Cancer Lead
3.60 | 28-day faster diagnosis standard | In progress | Full | 2020/21 | Cancer Lead
3.90 | IAPT expansion | In progress | Full | 2023/24 | Mental Health Commissioner
3.96 | 24/7 crisis resolution and home treatment | In place | Full | 2020/21 | Mental Health
    Commissioner
3.107 | First contact physiotherapy in all PCNs | In place | Full |  | MSK Lead
5.20 | Cyber security: Data Security and Protection Toolkit | In place | Full | August 2021
    | Digital Lead
"""
)

# The BLMK ICS team's own ICS-level commitments (illustrative).
BLMK = parse_table(
    """
1.24 | Integrated urgent care CAS for BLMK | In place | Full | 2020 | ICS Urgent Care Lead
1.51 | BLMK designated an integrated care system | In place | Full | April 2020 | ICS
    Director of Strategy
1.53 | BLMK CCGs merger | In progress | Full | April 2021 | ICS Director of Strategy
2.23 | Health inequalities plan for BLMK | Planned | Full | 2023/24 | ICS Director of Public
    Health
3.59 | Rapid diagnostic centre at the L&D | In progress | Partial | 2023/24 | ICS Cancer
    Lead
3.73 | Integrated stroke delivery network | Planned |  | 2021/22 | ICS Stroke Lead
3.97 | NHS 111 mental health option | In progress | Full | 2023/24 | ICS Mental Health Lead
4.24 | GP fellowship and retention schemes | In progress | Full | 2023/24 | ICS Workforce
    Lead
5.16 | BLMK shared care record | In progress | Full | 2023 | ICS Chief Digital Officer
5.26 | Population health management programme | In progress | Full | 2021/22 | ICS Director
    of Strategy
6.6 |  | None |  |  | ICS Director of Finance | System financial plan not yet agreed
"""
)

#: The hand-written showcase rows: unit id → para → input key → value (illustrative).
HAND_WRITTEN: dict[str, dict[str, Row]] = {
    "bedford": BEDFORD,
    "central_beds": CENTRAL_BEDS,
    "luton": LUTON,
    "milton_keynes": MILTON_KEYNES,
    "blmk": BLMK,
}
#: The ICS team's unit id (its workbook holds the ICS-level commitments).
_ICS_TEAM = "blmk"


def generate(catalogue: Catalogue | None = None) -> dict[str, dict[str, Row]]:
    """Round 1: the hand-written rows plus the generated ones, each unit in catalogue order."""
    from ltpgap.demo._generated import generate_unit
    from ltpgap.rag import Scope

    catalogue = catalogue or load_catalogue()
    units: dict[str, dict[str, Row]] = {}
    for unit, hand in HAND_WRITTEN.items():
        scope: Scope = "ics" if unit == _ICS_TEAM else "place"
        kept = {p: dict(v) for p, v in hand.items() if catalogue.get(p) is not None}
        rows = {**generate_unit(catalogue, unit, kept, scope=scope), **kept}
        units[unit] = {c.id: rows[c.id] for c in catalogue if c.id in rows}
    return units


def progress(
    inputs: Mapping[str, Mapping[str, Row]],
    round: int = 2,
    catalogue: Catalogue | None = None,
) -> dict[str, dict[str, Row]]:
    """The next submission after ``inputs`` (round ``round``): some rows moved on, a few slipped."""
    from ltpgap.demo._progress import progress_units

    return progress_units(catalogue or load_catalogue(), inputs, round, ics_id=_ICS_TEAM)


def illustrative_round(
    round: int = 1,
    catalogue: Catalogue | None = None,
) -> dict[str, dict[str, Row]]:
    """The inputs of submission ``round``: 1 is :data:`ILLUSTRATIVE`, each later one progresses."""
    if round < 1:
        raise ValueError(f"round must be 1 or more, not {round}")
    catalogue = catalogue or load_catalogue()
    inputs = generate(catalogue)
    for later in range(2, round + 1):
        inputs = progress(inputs, later, catalogue)
    return inputs


#: unit id → para → input key → value: round 1, the hand-written rows and the generated ones.
#: Every text here is illustrative (see module docstring).
ILLUSTRATIVE: dict[str, dict[str, Row]] = generate()
