"""Write ``default-framework.xlsx`` from the readable standards below.

The shipped workbook is generated: edit the text here, then run

    /work/venv/bin/python resources/standards/build_default_framework.py

and review the diff of this file, not of the binary workbook. The standards follow the trust
engagement and involvement strategy's three outcomes (people involved in their own care;
experience captured, understood and responded to; experience used to design and deliver
improvements), its four levels (individual, team/ward, locality, strategic) and the engagement
group's accreditation scheme.

Criticality: 1 essential (failing it harms people's rights, safety or dignity: accreditation
needs every one met), 2 expected, 3 desirable.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from coordinator_app.core.standards import FrameworkData, StandardData, write_framework_workbook

NAME = "Locality Involvement Accreditation Standards"
VERSION = "1.0"
ISSUED_ON = date(2026, 4, 1)

OWN_CARE = "Involvement in own care"
FORUMS = "Forums and feedback"
YOU_SAID = "You said - we did"
CO_PRODUCTION = "Co-production and improvement"
ACCESS = "Accessibility and inclusion"
PAYMENT = "Recognition and payment"
GOVERNANCE = "Governance and reporting"

# (code, domain, title, description, evidence guidance, criticality)
STANDARDS: list[tuple[str, str, str, str, str, int]] = [
    # 1. Day-to-day engagement: people involved and engaged in their own care.
    (
        "1.1",
        OWN_CARE,
        "Care plans are written with the person",
        "Service users help write and review their own care plan; it records their views and "
        "goals in their own words, and they are offered a copy in a format they can use.",
        "A sample of at least ten care plans across the locality's teams, reviewed with a service "
        "user or carer reviewer: the person's own words, their agreement (or the recorded reason "
        "it was not possible) and a copy offered. The latest care plan audit results.",
        1,
    ),
    (
        "1.2",
        OWN_CARE,
        "Carers are identified, informed and involved",
        "Teams identify carers, tell them about carers' assessments and support, and involve them "
        "in care planning with the service user's consent. Where consent is not given, carers "
        "still receive general information, support and a named contact.",
        "Carer records in a sample of case notes (carer identified, consent to share recorded "
        "and reviewed); the carers' information pack; what carers at the carers forum or on a "
        "15 Steps visit say about being listened to.",
        1,
    ),
    (
        "1.3",
        OWN_CARE,
        "People know their rights and how to have a say",
        "From first contact, people are told about their rights (including under the Mental "
        "Health Act), independent advocacy, how to give feedback or complain, and how to join "
        "the locality forum.",
        "Information displayed in waiting areas and on wards, and given in first-contact packs; "
        "a check that it is current and offered in easy read and other languages; a sample of "
        "records showing rights were explained.",
        1,
    ),
    (
        "1.4",
        OWN_CARE,
        "Teams and wards hold regular 'have your say' meetings",
        "Each inpatient ward holds a community meeting at least weekly and each community team "
        "offers a regular way for service users to raise issues; what was raised and the "
        "response are displayed.",
        "Notes of the last three months' community or 'have your say' meetings, the responses "
        "displayed on noticeboards, and how issues that the team could not resolve reached the "
        "locality forum.",
        2,
    ),
    (
        "1.5",
        OWN_CARE,
        "People are offered peer support, advance statements and recovery courses",
        "Service users are offered peer support, the chance to write an advance statement or "
        "crisis plan in their own words, and information about recovery college courses and "
        "community groups in the locality.",
        "Leaflets and referral routes; the number of advance statements or crisis plans written "
        "with the person; peer support worker posts or partnerships with voluntary and "
        "community sector groups.",
        3,
    ),
    # 2. Engagement to enable feedback: experience captured, understood and responded to.
    (
        "2.1",
        FORUMS,
        "The locality forum meets regularly and is co-chaired",
        "The locality holds a forum for service users, carers and their representatives at least "
        "six times a year, chaired or co-chaired by a service user or carer, with dates "
        "published a year ahead.",
        "The meeting list for the last twelve months (held and cancelled), the published "
        "calendar, and the chair or co-chair named in the minutes.",
        2,
    ),
    (
        "2.2",
        FORUMS,
        "Carers have their own place to be heard",
        "Carers can raise issues in a carers forum or a standing carers' item on the locality "
        "forum agenda at least every three months, at a time and place carers can manage.",
        "Carers forum minutes or locality forum agendas with a carers' item; attendance by "
        "carers over the year; issues raised by carers and the response.",
        2,
    ),
    (
        "2.3",
        FORUMS,
        "No one is named without their consent",
        "No service user or carer is named in minutes, monthly returns, newsletters, photographs "
        "or publicity without their recorded consent. People who do not want to be recorded are "
        "counted, not named.",
        "Consent records for named service users and carers in a sample of minutes and "
        "publicity; the monthly returns (no names or contact details of service users or "
        "carers); how unnamed attendees are counted on the sign-in sheet.",
        1,
    ),
    (
        "2.4",
        FORUMS,
        "Concerns about safety or safeguarding are acted on the same day",
        "Anything raised at a forum or with the coordinator that suggests a risk of harm to a "
        "person, or a safeguarding issue, is passed to the right team the same working day, and "
        "the person who raised it is told what will happen next.",
        "The locality's written procedure; the coordinator's knowledge of it; examples from the "
        "last twelve months with the date raised and the date passed on (without personal "
        "details in the evidence).",
        1,
    ),
    (
        "2.5",
        FORUMS,
        "Experience is recorded and reported every month",
        "Compliments, concerns, suggestions and questions heard at forums or brought to the "
        "coordinator are recorded with their theme and the service or team, and reported to the "
        "trust engagement group in the monthly return.",
        "The experience log and the last six monthly returns: items recorded for each meeting "
        "held, themes used consistently, returns sent on time.",
        2,
    ),
    (
        "2.6",
        FORUMS,
        "Papers go out in good time and minutes follow promptly",
        "Agendas and papers reach members at least five working days before each meeting and "
        "minutes within ten working days after it, in the formats members have asked for.",
        "Dates papers and minutes were sent for the last six meetings; members' format "
        "preferences and a sample of papers in those formats.",
        2,
    ),
    (
        "2.7",
        FORUMS,
        "The forum checks whether people believe it makes a difference",
        "At least twice a year the forum asks members how confident they are that the trust "
        "will act on what they say (for example with a quick poll), reports the trend and "
        "discusses what would raise confidence.",
        "Quick poll results over the last year with the number answering; the discussion and "
        "actions recorded in the minutes.",
        3,
    ),
    # 3. You said - we did: words turned into actions.
    (
        "3.1",
        YOU_SAID,
        "Every action has an owner, a due date and a level",
        "Each action agreed at a forum has a named owner, a due date, its level (individual, "
        "team/ward, locality or strategic) and the trust strategic priority it serves.",
        "The action log: every action raised in the last six months has an owner, due date, "
        "level and priority; owners know about their actions (ask two).",
        2,
    ),
    (
        "3.2",
        YOU_SAID,
        "Every concern, suggestion and question gets an answer",
        "Everything raised receives a recorded response within 20 working days, even when the "
        "answer is 'not yet' or 'no' with the reason, and the person who raised it is told "
        "directly where they asked to be.",
        "A sample of twenty experience items: the response recorded and its date; how people "
        "who asked to be told were told.",
        2,
    ),
    (
        "3.3",
        YOU_SAID,
        "Open actions are reviewed at every meeting",
        "Open actions are brought to each meeting as matters arising with their latest "
        "progress; overdue actions are explained and given a new date or escalated.",
        "Matters arising in the last three sets of minutes; progress updates on open actions; "
        "what happened to actions overdue for more than three months.",
        2,
    ),
    (
        "3.4",
        YOU_SAID,
        "'You said, we did' is published every quarter",
        "A 'You said, we did' summary of what changed because of people's feedback is published "
        "at least every three months on noticeboards, in waiting areas and online, in plain "
        "English and in easy read.",
        "The last four summaries and where they were displayed (photographs help); whether "
        "service users on a 15 Steps visit could find one.",
        2,
    ),
    (
        "3.5",
        YOU_SAID,
        "Few actions are left overdue",
        "Fewer than one in five of the locality's open actions is overdue at the end of each "
        "month, and none has been overdue for more than six months without an agreed reason.",
        "Actions open and overdue at month end in the last six monthly returns; the reasons "
        "recorded for long-overdue actions.",
        3,
    ),
    # 4. Involvement in improvement projects: experience used to design and deliver services.
    (
        "4.1",
        CO_PRODUCTION,
        "Service users and carers co-produce at least one improvement project",
        "The locality has at least one active improvement project in which service users or "
        "carers are co-producers from the start, designing and delivering the change with "
        "staff, not only advising on it. When a project finishes, its outcome and the "
        "difference involvement made are recorded and shared with everyone who took part.",
        "The project record: participants and their role (co-producer, adviser, reviewer), "
        "when they joined, what they did and the outcome; a conversation with one of the "
        "co-producers.",
        2,
    ),
    (
        "4.2",
        CO_PRODUCTION,
        "People are involved before decisions about services are made",
        "Service users and carers are involved at the design stage of changes to services in "
        "the locality, and proposals show how their views changed the plan.",
        "Papers for service changes in the last year with the involvement described; examples "
        "of plans changed because of what people said.",
        2,
    ),
    (
        "4.3",
        CO_PRODUCTION,
        "People who take part are prepared, supported and debriefed",
        "People involved in improvement work, interviews or visits are offered a briefing, "
        "training where needed (for example in quality improvement or interviewing), a named "
        "contact for support and a debrief afterwards.",
        "Briefing notes and training offered or attended; what two people involved say about "
        "the support they had.",
        2,
    ),
    (
        "4.4",
        CO_PRODUCTION,
        "15 Steps visits take place every year",
        "Service users, carers and staff carry out at least one 15 Steps Challenge visit a year "
        "to a ward or team in the locality, recording first impressions, and the findings lead "
        "to actions.",
        "The visit reports for the last year, the actions raised from them and their progress.",
        3,
    ),
    (
        "4.5",
        CO_PRODUCTION,
        "Service users and carers help recruit staff",
        "Service users or carers sit on interview panels, or run a separate panel, for the "
        "locality's patient-facing posts, with preparation and an equal say.",
        "Recruitment to the locality's patient-facing posts in the last year and the panels "
        "with service-user or carer members; feedback from panel members.",
        3,
    ),
    # 5. Accessibility and inclusion.
    (
        "5.1",
        ACCESS,
        "Information is given in the format each person needs",
        "People's communication needs are recorded and met, following the Accessible "
        "Information Standard: papers, minutes and responses are offered in large print, easy "
        "read, other languages or audio as each person needs.",
        "Recorded communication needs of forum members and a sample of papers sent in those "
        "formats; easy read versions of key documents.",
        1,
    ),
    (
        "5.2",
        ACCESS,
        "Reasonable adjustments and interpreters are provided",
        "Adjustments people ask for to take part are made, and interpreters (including British "
        "Sign Language) are booked at no cost to the person.",
        "Requests for adjustments or interpreters in the last year and how each was met; what "
        "members with access needs say.",
        1,
    ),
    (
        "5.3",
        ACCESS,
        "Meetings are easy to get to and to join",
        "Forums meet in step-free venues with accessible toilets and a hearing loop, at times "
        "set with members around care, work and public transport; joining online or by phone "
        "is offered, with help to get connected for those who need it.",
        "Venue checks; meeting formats over the year (in person, online, hybrid); offers of "
        "equipment, data or help to join online.",
        2,
    ),
    (
        "5.4",
        ACCESS,
        "The forum reaches the whole community it serves",
        "The locality knows how the people taking part compare with its community (age, "
        "ethnicity, gender, disability) and works with voluntary and community sector partners "
        "to reach groups that are seldom heard.",
        "The comparison (anonymous and in numbers only); outreach over the last year with "
        "partner organisations; new participants joining from the groups named.",
        2,
    ),
    (
        "5.5",
        ACCESS,
        "Meetings are safe and respectful",
        "Each forum has agreed ground rules, a named person to go to if someone becomes "
        "distressed, and a quiet space; discriminatory or disrespectful behaviour is "
        "challenged.",
        "The ground rules and how they are shared with new members; the arrangements for "
        "support during and after meetings; what members say about feeling safe.",
        1,
    ),
    # 6. Recognition and reward.
    (
        "6.1",
        PAYMENT,
        "Benefits advice comes before any involvement payment",
        "Anyone offered an involvement payment who receives welfare benefits is told, before "
        "taking part, that payments can affect benefits and is offered independent benefits "
        "advice; they may decline payment, or take expenses only, without losing their place.",
        "The information given before people take part; how advice is offered; the record of "
        "offers and declines (people who declined still take part).",
        1,
    ),
    (
        "6.2",
        PAYMENT,
        "The payment policy is explained in writing",
        "Before taking part people receive, in writing and in a format they can use, the set "
        "rate per session, the expenses covered (travel, care cover) and how to claim.",
        "The written information and its easy read version; a check that the rates match the "
        "trust's current policy.",
        2,
    ),
    (
        "6.3",
        PAYMENT,
        "No one is out of pocket for taking part",
        "Travel, care cover and other agreed expenses are repaid in full within 30 days of the "
        "claim, and paid in advance for people who could not otherwise come.",
        "Payment and expense records for meetings in the last six months: dates claimed and "
        "paid; advances made where needed.",
        2,
    ),
    (
        "6.4",
        PAYMENT,
        "Contributions are recognised and celebrated",
        "People's contributions are thanked and recognised: certificates, references for "
        "employment or study on request, and a celebration of involvement each year.",
        "Certificates or references given; the last celebration event; what people involved "
        "say about feeling valued.",
        3,
    ),
    # 7. Governance and reporting: the engagement group can see and trust the picture.
    (
        "7.1",
        GOVERNANCE,
        "Personal details are kept private and used only with consent",
        "Contact details, consent and payment records of service users and carers are kept "
        "only in the locality's secure records, used only with consent to contact, and never "
        "sent in returns or shared emails.",
        "Where records are kept and who can see them; consent to contact recorded before "
        "people are contacted; a check of returns and circulation lists for personal details.",
        1,
    ),
    (
        "7.2",
        GOVERNANCE,
        "The monthly return reaches the engagement group on time",
        "The locality sends its monthly return to the trust engagement group within ten "
        "working days of the end of each month.",
        "The dates the last twelve returns were received by the engagement group.",
        2,
    ),
    (
        "7.3",
        GOVERNANCE,
        "Local involvement priorities are agreed with the forum",
        "Each year the locality agrees its involvement priorities with its forum, links them "
        "to the trust's strategic priorities, and reviews progress with the forum at least "
        "twice a year.",
        "The agreed priorities and the minutes of the two reviews.",
        2,
    ),
    (
        "7.4",
        GOVERNANCE,
        "Issues the locality cannot resolve are escalated",
        "Actions that cannot be resolved in the locality are escalated to the trust engagement "
        "group or the right strategic lead, and the outcome is reported back to the forum.",
        "Strategic-level actions and how they were escalated; the engagement group's response "
        "reported in the forum's minutes.",
        2,
    ),
    (
        "7.5",
        GOVERNANCE,
        "The locality reviews itself and takes part in peer review",
        "The locality completes a self-review against these standards each year and a peer "
        "review by another locality that includes service-user and carer reviewers, and acts "
        "on what they find.",
        "The submitted self-review and peer review, and the actions raised from them.",
        3,
    ),
]


def framework() -> FrameworkData:
    return FrameworkData(
        name=NAME,
        version=VERSION,
        issued_on=ISSUED_ON,
        standards=tuple(StandardData(*row) for row in STANDARDS),
    )


def main() -> None:
    target = Path(__file__).resolve().parent / "default-framework.xlsx"
    write_framework_workbook(framework(), target)
    print(f"Wrote {len(STANDARDS)} standards to {target}")


if __name__ == "__main__":
    main()
