"""A parameter that takes an option accepts an order, and one that takes an order accepts an option:
the value goes through the option-order link (pk:securedBy), and the result's note says so."""

from __future__ import annotations

import pytest

from kg import queries
from kg.errors import KGError


@pytest.fixture(scope="module")
def run(data_dir):
    def ask(name: str, **params) -> queries.Result:
        return queries.run(name, data=str(data_dir), timeout=None, **params)

    return ask


def test_an_order_given_for_an_option_is_taken_as_its_option(run):
    direct = run("legal-orders-for-option", option="special-guardianship")
    via_order = run("legal-orders-for-option", option="special-guardianship-order")
    assert via_order.rows == direct.rows
    assert "taken as the option 'special-guardianship'" in via_order.note
    assert direct.note == ""


def test_an_option_given_for_an_order_is_taken_as_its_order(run):
    direct = run("who-can-apply", order="special-guardianship-order", council="dorset")
    via_option = run("who-can-apply", order="special-guardianship", council="dorset")
    assert via_option.rows == direct.rows and direct.rows
    assert "taken as the order 'special-guardianship-order'" in via_option.note


def test_an_option_secured_by_several_orders_asks_which(run):
    with pytest.raises(KGError) as err:
        run("who-can-apply", order="kinship")
    message = str(err.value)
    assert "child-arrangements-order" in message and "special-guardianship-order" in message
    assert "\n" not in message


def test_a_subject_also_matches_its_linked_option_or_order(run):
    # Looked-after status is stated of the child arrangements option's advantages.
    by_order = run("looked-after-status", subject="child-arrangements-order")
    assert len(by_order) > 0
    assert "also matches child-arrangements" in by_order.note
    # Parental responsibility under special guardianship is stated of the order.
    by_option = run("parental-responsibility", subject="special-guardianship")
    by_order = run("parental-responsibility", subject="special-guardianship-order")
    assert len(by_option) >= len(by_order) > 0


def test_the_linked_parameter_is_not_one_users_set(run):
    query = queries.get("parental-responsibility")
    assert "subject_linked" not in {p.name for p in query.parameters}
    with pytest.raises(KGError):
        run("parental-responsibility", subject_linked="x")
