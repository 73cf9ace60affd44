"""Our modelling of list items: which trade-off themes an advantage bears on, and which applicant
category, route, consent and residence period an applicant item states.

These rules are ours, not the councils'; tests check that every item gets at least one theme, or a
category and a route, so a new wording cannot slip through unclassified.
"""

from __future__ import annotations

import re

from ..model import Duration, Statement

_I = re.IGNORECASE

THEME_RULES: list[tuple[str, re.Pattern[str]]] = [
    (theme, re.compile(pattern, _I))
    for theme, pattern in [
        ("parental-responsibility", r"parental responsibility|authority to make decisions"),
        ("legal-security", r"legal (?:challenge|security)|less secure|overturn"),
        (
            "challenge-discharge",
            r"discharge|revo(?:ke|cation)|overturn|legal challenge|application (?:can|to)"
            r"|new applications? to court|leave to apply|apply for any other",
        ),
        (
            "birth-family-links",
            r"legal links to the birth family|separation from the family of origin|birth family"
            r"|parent requires leave",
        ),
        ("belonging-identity", r"belonging|family member|legal member of the family"),
        (
            "la-involvement-review",
            r"social work|review|looked after|\bin care\b|local authority retains"
            r"|legal responsibility towards",
        ),
        ("support-finance", r"support|allowance|assessment of (?:their )?(?:support )?need"),
        ("education", r"education"),
        ("contact", r"contact"),
        ("stigma", r"stigma"),
        ("duration", r"until the child is 18|into adulthood|post 18|permanent family member"),
        ("stability", r"persevere|stability|destabilising|unsettling"),
        ("legal-costs", r"expensive|legal costs"),
        ("citizenship", r"citizenship"),
    ]
]


def assign_themes(statement: Statement) -> None:
    for theme, pattern in THEME_RULES:
        if pattern.search(statement.text):
            statement.add("theme", theme)


CATEGORY_RULES: list[tuple[str, re.Pattern[str]]] = [
    (category, re.compile(pattern, _I))
    for category, pattern in [
        ("parent", r"\b(?:any|a) parent\b|\bparents? of (?:a|the) child\b"),
        ("guardian", r"(?<!special )\bguardian\b"),
        ("special-guardian", r"\bspecial guardian\b"),
        ("step-parent", r"party to (?:a )?marriage"),
        (
            "cao-live-with-person",
            r"named in a child arrangements? order[^;]*\bto live\b"
            r"|holds an? (?:CAO|(?:residence or )?child arrangements? order)",
        ),
        ("residence-order-holder", r"holds an? residence"),
        ("cao-contact-person-with-pr", r"contact.{0,3} aspects[^;]*parental responsibility"),
        (
            "long-residence-person",
            r"lived (?:with )?(?:for )?(?:a period of )?(?:at least )?(?:3|three) "
            r"(?:out of |of )?(?:the last|years)",
        ),
        ("la-foster-carer", r"local authority foster (?:carer|parent)"),
        ("foster-carer", r"^a foster carer\b"),
        ("relative", r"\brelative\b"),
        ("child", r"including the child"),
    ]
]

_ANY_PERSON = re.compile(r"\b(?:any ?one|any person|a person)\b[^;]*\b(?:consent|leave)\b", _I)


# "Anyone who holds a ... order ... who has the consent of ...": the holder, not anyone, with consent.
# Medway's "... or who has the consent of" makes two routes, the second open to anyone.
_QUALIFIED_ANYONE = re.compile(r"\bany ?one who (?:holds|is named)\b", _I)
_OR_CONSENT = re.compile(r"\bor who has the consent\b", _I)

# The child's status or an order in force that a route depends on: conditions the statement states.
CHILD_STATUS_RULES: list[tuple[str, re.Pattern[str]]] = [
    (status, re.compile(pattern, _I))
    for status, pattern in [
        ("in-care", r"where the child is (?:the )?subject of a care order|where the child is in the care of"),
        ("looked-after", r"where the child is looked after"),
        ("other-case", r"\bin any other case\b"),
    ]
]
ORDER_IN_FORCE_RULES: list[tuple[str, re.Pattern[str]]] = [
    (order, re.compile(pattern, _I))
    for order, pattern in [
        (
            "child-arrangements-order",
            r"(?:CAO|child arrangements? order)\s+(?:that\s+)?is (?:already )?in force",
        ),
        ("care-order", r"existing order for care in force"),
    ]
]


def classify_applicant(statement: Statement) -> None:
    text = statement.text
    # Whose consent is needed names people too ("the consent of each of the persons named in a Child
    # Arrangements Order"): they are not the applicant, so categories are read before "consent of".
    applicant_part = re.split(r"\bconsent of\b", text, maxsplit=1, flags=_I)[0]
    for category, pattern in CATEGORY_RULES:
        if pattern.search(applicant_part):
            statement.add("applicantCategory", category)
    qualified = _QUALIFIED_ANYONE.search(text) and not _OR_CONSENT.search(text)
    if (_ANY_PERSON.search(text) and not qualified) or not statement.concept_ids("applicantCategory"):
        statement.add("applicantCategory", "any-person")
    for status, pattern in CHILD_STATUS_RULES:
        if pattern.search(text):
            statement.add("childStatus", status)
    for order, pattern in ORDER_IN_FORCE_RULES:
        if pattern.search(text):
            statement.add("orderInForce", order)

    as_of_right_too = re.search(r"\bor who has the consent\b", text, _I)
    if re.search(r"leave of the court|apply to the court for leave", text, _I):
        statement.add("route", "with-leave")
    elif re.search(r"\bconsent\b", text, _I):
        if as_of_right_too:
            statement.add("route", "as-of-right")
        statement.add("route", "with-consent")
    else:
        statement.add("route", "as-of-right")

    if re.search(r"consent of (?:the |that |the relevant )?(?:local )?authority", text, _I):
        statement.add("consentOf", "local-authority")
    if re.search(r"consent of (?:all|everyone|each)[^;]*parental responsibility", text, _I):
        statement.add("consentOf", "all-with-pr")
    if re.search(
        r"consent of [^;]*(?:in whose favour|named in)[^;]*(?:child arrangements? order|CAO)", text, _I
    ):
        statement.add("consentOf", "cao-live-with-persons")
    elif re.search(r"consent of each person in whose favour the order", text, _I):
        statement.add("consentOf", "order-holders")

    _residence_period(statement)


_NUM = {"one": 1, "three": 3, "five": 5, "1": 1, "3": 3, "5": 5}


def _residence_period(statement: Statement) -> None:
    text = statement.text
    m = re.search(r"(one|1) year(?: immediately preceding)?", text, _I)
    if m and re.search(r"lived", text, _I):
        statement.values["livedWithFor"] = Duration(1, "year")
        statement.values["immediatelyPreceding"] = "immediately preceding" in m.group(0).lower()
        return
    m = re.search(r"(3|three) (?:out of |of )the last (5|five) years", text, _I)
    if m:
        statement.values["livedWithFor"] = Duration(_NUM[m.group(1).lower()], "year")
        statement.values["withinWindow"] = Duration(_NUM[m.group(2).lower()], "year")
        return
    m = re.search(r"(3|three) years\b", text, _I)
    if m and re.search(r"lived", text, _I):
        statement.values["livedWithFor"] = Duration(_NUM[m.group(1).lower()], "year")
        window = re.search(r"(?:begun|started) more than (5|five) years", text, _I)
        ended = re.search(r"ended more than (3|three) months before", text, _I)
        if window:
            statement.values["withinWindow"] = Duration(_NUM[window.group(1).lower()], "year")
        if ended:
            statement.values["endedWithin"] = Duration(_NUM[ended.group(1).lower()], "month")
