"""Searches sorted by the ranks the store keeps in memory answer as searches sorted in SQL."""

from __future__ import annotations

import random
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.adapters.storage import SqliteStore
from kiosk.core.model import Attendee, Event
from kiosk.core.registrations import Registration, plan_import
from kiosk.core.signing import EventKeys
from tests.fakes import MemoryStore

FIRST = ["Luděk", "Petr", "Magdaléna", "Jana", "Václav", "Zuzana", "Ondřej", "Šárka", "Jiří"]
LAST = ["Kühr", "Přikryl", "Vrabčeková", "Novák", "Chalupa", "Černá", "Horák", "Šťastný", "Hrubý"]
ORGANISATIONS = ["Moravian Cluster", "CzechInvest", "Clean Tech Praha", "VR Lab", ""]
QUERIES = [["p"], ["pr"], ["ch"], ["c"], ["no"], ["ja", "no"], ["s"], ["sa"], ["clu"], ["zz"]]


def people(count: int, seed: int) -> list[Registration]:
    """`count` people with distinct names (a number in the first name), as an export has them."""
    rng = random.Random(seed)
    return [
        Registration(
            row=n + 2,
            code=f"{seed:02d}{n:08d}",
            first_name=f"{rng.choice(FIRST)} {n}",
            last_name=rng.choice(LAST),
            organisation=rng.choice(ORGANISATIONS),
        )
        for n in range(count)
    ]


@pytest.fixture
def pair(
    db_path: Path, event_and_keys: tuple[Event, EventKeys]
) -> Iterator[tuple[SqliteStore, MemoryStore]]:
    """The same registry in a real file and in the fake store (the reference)."""
    sqlite = SqliteStore(db_path)
    sqlite.create_event(*event_and_keys)
    memory = MemoryStore(*event_and_keys)
    for store in (sqlite, memory):
        store.apply_import(plan_import(store.registered(), people(300, seed=1)))
    yield sqlite, memory
    sqlite.close()


def names(found: list[Attendee]) -> list[tuple[str, str]]:
    return [(a.last_name, a.first_name) for a in found]


def keep_ranks(store: SqliteStore) -> None:
    """Search until the store ranks in memory: the registry has held still since a search."""
    for _ in range(3):
        store.search(["a"], 5)


def test_every_search_answers_as_the_reference_when_sorted_in_sql_and_by_kept_ranks(
    pair: tuple[SqliteStore, MemoryStore],
) -> None:
    sqlite, memory = pair
    # The first round sorts in SQL (the registry was just written); the next ones rank in
    # memory, read once the registry held still.
    for _ in range(3):
        for query in QUERIES:
            for limit in (1, 7, 50):
                expected = names(memory.search(query, limit))
                assert names(sqlite.search(query, limit)) == expected, (query, limit)
        # Names and ten codes (a prefix matching more codes than the limit is cut short in
        # no particular order, in SQL as before).
        expected = names(memory.search(["p"], 20, code_prefix="010000000"))
        assert names(sqlite.search(["p"], 20, code_prefix="010000000")) == expected


def test_a_search_after_any_change_to_the_registry_sees_the_change(
    pair: tuple[SqliteStore, MemoryStore], db_path: Path
) -> None:
    sqlite, memory = pair
    keep_ranks(sqlite)
    # Another process's import: a new person who sorts first, a renamed one who moves.
    other = SqliteStore(db_path)
    for store in (other, memory):
        renamed = next(a for a in store.attendees() if a.last_name == "Přikryl")
        added = [
            Registration(row=2, code="0000000001", first_name="Pavla", last_name="Abrahámová"),
            Registration(
                row=3,
                code=renamed.code,
                first_name=renamed.first_name,
                last_name="Žák",
                registration_id=renamed.registration_id,
            ),
        ]
        store.apply_import(plan_import(store.registered(), added))
    other.close()
    for _ in range(3):
        for query in (["p"], ["pa"], ["za"], ["a"]):
            assert names(sqlite.search(query, 50)) == names(memory.search(query, 50)), query


def test_a_search_inside_a_write_transaction_sees_its_own_uncommitted_rows(
    pair: tuple[SqliteStore, MemoryStore],
) -> None:
    sqlite, _ = pair
    keep_ranks(sqlite)
    with sqlite.transaction():
        sqlite.apply_import(
            plan_import(
                sqlite.registered(),
                [Registration(row=2, code="0000000002", first_name="Adam", last_name="Aaron")],
            )
        )
        assert names(sqlite.search(["aa"], 5)) == [("Aaron", "Adam")]
    assert names(sqlite.search(["aa"], 5)) == [("Aaron", "Adam")]


def test_a_search_reads_one_moment_of_the_file_while_another_connection_writes(
    pair: tuple[SqliteStore, MemoryStore], db_path: Path
) -> None:
    sqlite, memory = pair
    keep_ranks(sqlite)
    writer = sqlite3.connect(db_path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE attendees SET last_name = 'Xenakis', sort_key = '~' WHERE num = 1")
    # Not committed: the search reads the file as it was, with the ranks it kept.
    assert names(sqlite.search(["c"], 50)) == names(memory.search(["c"], 50))
    writer.execute("ROLLBACK")
    writer.close()


def test_a_search_reads_one_moment_even_when_another_kiosk_commits_between_its_reads(
    pair: tuple[SqliteStore, MemoryStore], db_path: Path
) -> None:
    sqlite, memory = pair
    keep_ranks(sqlite)
    before = names(memory.search(["a"], 50))
    other = SqliteStore(db_path)
    newcomer = [Registration(row=2, code="0000000003", first_name="Adam", last_name="Aaron")]
    conn = sqlite.connection()

    def commit_meanwhile(statement: str) -> None:
        # Another process's import commits just as the search starts its full-text query,
        # after it has read the registry's version and picked its ranks.
        if "attendees_fts MATCH" in statement and not other.search(["aaron"], 1):
            other.apply_import(plan_import(other.registered(), newcomer))

    conn.set_trace_callback(commit_meanwhile)
    try:
        during = names(sqlite.search(["a"], 50))
    finally:
        conn.set_trace_callback(None)
    other.close()
    assert during == before  # the file as it was when the search began, whole
    memory.apply_import(plan_import(memory.registered(), newcomer))
    assert names(sqlite.search(["a"], 50))[0] == ("Aaron", "Adam")
    assert names(sqlite.search(["a"], 50)) == names(memory.search(["a"], 50))
