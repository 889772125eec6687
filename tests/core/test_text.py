"""Folding for search and sorting in the event's language."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kiosk.core.text import czech_key, fold, name_sort_key, search_text, sort_key_for, words


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Přikryl", "prikryl"),
        ("Kühr", "kuhr"),
        ("Żółć", "zolc"),
        ("Łukasz Wąsowski", "lukasz wasowski"),
        ("Đurić", "duric"),
        ("Søren Ørsted", "soren orsted"),
        ("Groß", "gross"),
        ("Ștefan", "stefan"),
        ("ŠŤASTNÁ", "stastna"),
    ],
)
def test_fold_removes_every_diacritic(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_words_split_e_mails_and_punctuation() -> None:
    assert words("Kühr, Luděk <L.Kuhr@example.cz>") == [
        "kuhr",
        "ludek",
        "l",
        "kuhr",
        "example",
        "cz",
    ]
    assert search_text("Luděk", "Kühr") == "ludek kuhr"


def test_czech_alphabetical_order() -> None:
    names = ["Žák", "Zeman", "Chalupa", "Hrubý", "Horák", "Čermák", "Cibulka", "Dvořák", "Ríha",
             "Řezníček", "Šťastná", "Sýkora", "Ábel", "Adámek", "Ch", "C", "I"]  # fmt: skip
    assert sorted(names, key=czech_key) == [
        "Ábel", "Adámek", "C", "Cibulka", "Čermák", "Dvořák", "Horák", "Hrubý", "Ch", "Chalupa",
        "I", "Ríha", "Řezníček", "Sýkora", "Šťastná", "Zeman", "Žák",
    ]  # fmt: skip


def test_accents_other_than_hacek_only_break_ties() -> None:
    assert sorted(["Dvořáková", "Dvorak", "Dvořák"], key=czech_key) == [
        "Dvorak",
        "Dvořák",
        "Dvořáková",
    ]
    assert sorted(["Ťoupal", "Toman"], key=czech_key) == ["Toman", "Ťoupal"]


def test_other_languages_sort_ignoring_diacritics() -> None:
    key = sort_key_for("en")
    assert sorted(["Zeman", "Čermák", "Chalupa", "Cibulka"], key=key) == [
        "Čermák",
        "Chalupa",
        "Cibulka",
        "Zeman",
    ]


NAME = st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs")), max_size=8)


@given(st.lists(st.tuples(NAME, NAME), max_size=20))
def test_one_string_key_sorts_like_the_tuple_of_keys(people: list[tuple[str, str]]) -> None:
    by_string = sorted(people, key=lambda p: name_sort_key("cs", *p))

    def by_levels(p: tuple[str, str]) -> tuple[str, ...]:
        (last_1, last_2, last_3), (first_1, first_2, first_3) = czech_key(p[0]), czech_key(p[1])
        return (last_1, first_1, last_2, first_2, last_3, first_3)

    by_tuple = sorted(people, key=by_levels)
    assert [name_sort_key("cs", *p) for p in by_string] == [
        name_sort_key("cs", *p) for p in by_tuple
    ]


def test_first_names_decide_before_accents_do() -> None:
    people = [("Novak", "Zdeněk"), ("Novák", "Adam"), ("Nová", "Zoe")]
    assert sorted(people, key=lambda p: name_sort_key("cs", *p)) == [
        ("Nová", "Zoe"),
        ("Novák", "Adam"),
        ("Novak", "Zdeněk"),
    ]
