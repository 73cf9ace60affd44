"""Durations are data wherever they occur: the rule-based reader on the documents' own wordings, and
the `durations` query over every statement of every kind."""

from __future__ import annotations

import pytest

from kg import queries
from kg.extract.durations import read
from kg.model import Duration


def one(text: str) -> Duration:
    found = list(read(text))
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "words, value, unit, qualifiers",
    [
        ("within 20 working days of the child becoming Looked After", 20, "working-day", ("at-most",)),
        ("no later than 28 days after the period of accommodation begins", 28, "day", ("at-most", "after")),
        ("within the required recording policy timescale of 48hrs.", 48, "hour", ("at-most",)),
        ("on the child's case record within 24hours;", 24, "hour", ("at-most",)),
        ("reviewed every 12 weeks as a minimum", 12, "week", ("at-least", "every")),
        ("placement abroad for more than 3 months", 3, "month", ("at-least",)),
        ("that is going to last 28 days or more", 28, "day", ("at-least",)),
        ("an exchange programme for six week and more", 6, "week", ("at-least",)),
        ("lived for one year immediately preceding the application", 1, "year", ("immediately-preceding",)),
        ("reviewed on an annual basis", 1, "year", ("every",)),
        ("which takes a maximum of 26 weeks to complete", 26, "week", ("at-most",)),
        ("completed for the second (4 month) review", 4, "month", ()),
    ],
)
def test_a_stated_duration_is_read_with_its_value_unit_and_qualifiers(words, value, unit, qualifiers):
    d = one(words)
    assert (d.value, d.unit, d.qualifiers) == (value, unit, qualifiers)
    assert d.text and d.text in words


def test_a_working_day_is_not_a_day():
    assert one("within 5 working days").unit == "working-day"
    assert one("within 5 days").unit == "day"


def test_a_range_has_a_minimum_and_a_maximum_and_no_single_value():
    d = one("review meetings should be undertaken every 6-8 weeks")
    assert (d.value, d.minimum, d.maximum, d.unit, d.qualifiers) == (None, 6, 8, "week", ("every",))


def test_a_period_out_of_a_window_gives_both_durations():
    period, window = read("Anyone with whom the child has lived for 3 out of the last 5 years;")
    assert (period.value, period.unit, period.qualifiers) == (3, "year", ("out-of-window",))
    assert (window.value, window.unit, window.qualifiers) == (5, "year", ("window",))


def test_not_more_than_before_an_event_is_a_limit():
    text = "must not have started more than 5 years before or ended more than 3 months before the making"
    assert [(d.value, d.unit, d.qualifiers) for d in read(text)] == [
        (5, "year", ("at-most", "before")),
        (3, "month", ("at-most", "before")),
    ]


def test_an_initial_period_and_an_additional_one():
    text = "initially for 16 weeks and then as a Regulation 25 for an additional 8 weeks."
    assert [(d.value, d.qualifiers) for d in read(text)] == [(16, ("initial",)), (8, ("additional",))]


@pytest.mark.parametrize(
    "words",
    [
        "Parallel Planning needs to begin for all children under 14 years",
        "especially for those under four years of age",
        "Children between 7 and 10 years are more likely",
        "children of over 10 years",
        "until the child reaches 18 years",
        "belonging does not end at the age of 18 years;",
        "The Harbour (if 12-18 years old)",
        "the Sufficiency Strategy 2015-2018",
        "Section 20 of the Children Act 1989",
    ],
)
def test_ages_years_and_section_numbers_are_not_durations(words):
    assert list(read(words)) == []


def test_offsets_locate_the_words_in_the_source():
    d = one("lived for 3 years")
    shifted = list(read("lived for 3 years", offset=100))[0]
    assert (shifted.start - d.start, shifted.end - d.end) == (100, 100)
    assert "lived for 3 years"[d.start : d.end] == d.text


def test_a_duration_rejects_an_unknown_unit_and_a_reversed_range():
    with pytest.raises(ValueError):
        Duration(3, "fortnight")
    with pytest.raises(ValueError):
        Duration(None, "week", minimum=8, maximum=6)


@pytest.fixture(scope="module")
def rows(data_dir) -> list[dict]:
    result = queries.run("durations", data=str(data_dir))
    return [dict(zip(result.columns, row)) for row in result.rows]


def test_the_durations_query_has_the_promised_columns(data_dir):
    result = queries.run("durations", data=str(data_dir))
    assert result.columns == [
        "council",
        "kind",
        "subject",
        "value",
        "unit",
        "min",
        "max",
        "qualifier",
        "quote",
        "start",
        "end",
    ]


def test_every_duration_row_is_located_in_its_source(rows, extraction):
    assert rows
    for r in rows:
        text = extraction.sources[r["council"]].text
        assert text[r["start"] : r["end"]] == r["quote"]
        assert (r["value"] is None) != (r["min"] is None)


def test_durations_come_from_statements_of_every_kind(rows):
    kinds = {r["kind"] for r in rows}
    assert {"timescale", "applicant", "parental-responsibility", "definition"} <= kinds


def test_every_timescale_that_states_a_length_of_time_has_it_as_data(extraction, rows):
    """Every timescale quote with a digit or a number word next to a unit has a durations row."""
    with_numbers = {
        (st.council, st.start, st.end)
        for st in extraction.statements
        if st.kind == "timescale" and any(True for _ in read(st.quote))
    }
    listed = {(r["council"], r["start"], r["end"]) for r in rows if r["kind"] == "timescale"}
    assert with_numbers == listed
    timescales = [st for st in extraction.statements if st.kind == "timescale"]
    assert len(with_numbers) / len(timescales) >= 0.5


@pytest.mark.parametrize(
    "council, value, unit",
    [
        ("enfield", 16, "week"),
        ("enfield", 8, "week"),
        ("medway", 20, "working-day"),
        ("medway", 16, "week"),
        ("cumbria", 5, "working-day"),
        ("cumbria", 28, "day"),
        ("cumbria", 48, "hour"),
        ("cumbria", 24, "hour"),
        ("dorset", 12, "week"),
        ("dorset", 26, "week"),
    ],
)
def test_the_councils_stated_timescales_are_present(rows, council, value, unit):
    assert (council, value, unit) in {
        (r["council"], r["value"], r["unit"]) for r in rows if r["kind"] == "timescale"
    }


def test_filters_by_council_kind_and_unit(data_dir):
    result = queries.run(
        "durations", data=str(data_dir), council="medway", kind="timescale", unit="working-day"
    )
    got = [dict(zip(result.columns, row)) for row in result.rows]
    assert [(r["council"], r["kind"], r["unit"], r["value"]) for r in got] == [
        ("medway", "timescale", "working-day", 20.0)
    ]


def test_every_length_of_time_in_the_documents_is_inside_a_statement(extraction):
    """Durations are data wherever they occur: each one the reader finds in a document's text lies in
    the quote of some statement, so the durations query lists it."""
    missed = []
    for council, source in extraction.sources.items():
        statements = [st for st in extraction.statements if st.council == council]
        for d in read(source.text):
            if not any(st.start <= d.start and d.end <= st.end for st in statements):
                missed.append(f"{council}: {source.text[max(0, d.start - 60) : d.end + 20]!r}")
    assert not missed, "\n".join(missed)


def test_an_unknown_unit_is_refused_naming_the_units(data_dir):
    from kg.errors import KGError

    with pytest.raises(KGError, match="working-day"):
        queries.run("durations", data=str(data_dir), unit="fortnight")
