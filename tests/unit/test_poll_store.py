"""The workshop poll's storage: anonymous, aggregate-only, expiring, safe with many writers."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import multiprocessing
import os
import re
import sqlite3
import stat
import threading
from collections import Counter
from pathlib import Path

import pytest

from tests.conftest import Clock
from tests.unit.poll_writer import answers_of, write_once
from widgets.logic import poll_store as ps
from widgets.logic.poll_store import (
    ANSWERS,
    THRESHOLD,
    AlreadySent,
    BadAnswers,
    BadCode,
    PhaseClosed,
    PollError,
    PollStore,
    UnknownCode,
    UnsafePath,
    WorkshopGone,
    WrongKey,
    aggregate_csv,
    new_participant_id,
)

ITEMS = ("scan-cause", "rest-flare", "exercise-helps")
WRITERS = 40


def _answers(i: int, items=ITEMS) -> dict[str, str]:
    return answers_of(i, items)


def _expected(n: int, items=ITEMS) -> dict[str, dict[str, int]]:
    table = {item: dict.fromkeys(ANSWERS, 0) for item in items}
    for i in range(n):
        for item, answer in _answers(i, items).items():
            table[item][answer] += 1
    return table


# ----------------------------------------------------------------- schema and file


def test_schema_is_created_from_empty_with_wal_and_private_files(tmp_path):
    path = tmp_path / "new" / "folder" / "poll.sqlite3"
    assert not path.parent.exists()
    PollStore(path)
    assert path.is_file()
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"workshops", "answers", "meta"} <= tables
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        version = conn.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        assert version == ("2",)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_opening_twice_keeps_the_data(tmp_path):
    path = tmp_path / "poll.sqlite3"
    opened = PollStore(path).open_workshop(ITEMS)
    assert PollStore(path).join(opened.code).items == ITEMS


def test_path_comes_from_the_environment_then_the_default(tmp_path, monkeypatch):
    monkeypatch.setenv("COURSE_POLL_DB", str(tmp_path / "env.sqlite3"))
    assert PollStore().path == (tmp_path / "env.sqlite3").resolve()
    monkeypatch.delenv("COURSE_POLL_DB")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert ps.resolve_db_path() == (tmp_path / "xdg" / "backpain-course" / "poll.sqlite3").resolve()
    monkeypatch.delenv("XDG_DATA_HOME")
    default = ps.default_db_path()
    assert default == Path.home() / ".local" / "share" / "backpain-course" / "poll.sqlite3"
    assert not default.resolve().is_relative_to(ps.REPO_ROOT / "notebooks")


@pytest.mark.parametrize(
    "inside",
    [
        "notebooks/poll.sqlite3",
        "notebooks/workshop/poll.sqlite3",
        "notebooks/../notebooks/x.db",
        "share/jupyter/voila/templates/course/static/poll.sqlite3",
    ],
)
def test_a_path_inside_a_served_folder_is_refused(inside):
    with pytest.raises(UnsafePath, match="must not be inside"):
        PollStore(ps.REPO_ROOT / inside)
    assert not (ps.REPO_ROOT / inside).exists()


def test_a_relative_path_from_a_lesson_kernel_is_refused(monkeypatch):
    # A kernel runs in the notebook's folder, so "poll.sqlite3" would land in notebooks/.
    monkeypatch.chdir(ps.REPO_ROOT / "notebooks")
    monkeypatch.setenv("COURSE_POLL_DB", "poll.sqlite3")
    with pytest.raises(UnsafePath):
        PollStore()


def test_a_symlink_into_the_served_folder_is_refused(tmp_path):
    link = tmp_path / "sneaky"
    link.symlink_to(ps.REPO_ROOT / "notebooks")
    with pytest.raises(UnsafePath):
        PollStore(link / "poll.sqlite3")


# ----------------------------------------------------------------- codes and keys


@pytest.mark.slow
def test_join_codes_are_short_unambiguous_and_distinct(store):
    codes = {store.open_workshop(ITEMS).code for _ in range(30)}
    assert len(codes) == 30
    for code in codes:
        assert len(code) == 6 and set(code) <= set(ps.ALPHABET)
        assert not set(code) & set("0O1IL2Z5S8BUVQD")


def test_codes_are_accepted_with_dash_spaces_and_lower_case(store):
    opened = store.open_workshop(ITEMS)
    typed = f"  {opened.code[:3].lower()} - {opened.code[3:].lower()} "
    assert store.join(typed).code == opened.code
    assert store.join(opened.code_text).phase == "before"
    assert opened.code_text == f"{opened.code[:3]}-{opened.code[3:]}"


@pytest.mark.parametrize(
    "typed, words",
    [
        ("", "Type the join code"),
        ("   ", "Type the join code"),
        ("ACE", "does not look like a join code"),
        ("ACE-F4O7", "does not look like a join code"),  # too long
        ("ACE-F4é", "does not look like a join code"),
        ("<script>", "does not look like a join code"),
        ("x" * 500, "6 letters and numbers"),
    ],
)
def test_a_badly_typed_code_gets_a_clear_message(store, typed, words):
    with pytest.raises(BadCode, match=words):
        store.join(typed)


@pytest.mark.parametrize(
    "typed, shown",
    [
        ("ACE-F47", "ACE-F47"),
        ("ABC-123", "ABC-123"),  # well formed, with letters no code uses: unknown, not "wrong form"
        ("ace-f4o", "ACE-F4O"),
    ],
)
def test_a_wrong_join_code_gets_a_clear_message(store, typed, shown):
    store.open_workshop(ITEMS)
    with pytest.raises(UnknownCode) as info:
        store.join(typed)
    message = str(info.value)
    assert f"No workshop has the code {shown}" in message and "Check the code" in message


def test_the_key_is_stored_only_as_a_salted_hash(store):
    opened = store.open_workshop(ITEMS)
    with sqlite3.connect(store.path) as conn:
        salt, digest = conn.execute("SELECT key_salt, key_hash FROM workshops").fetchone()
        dump = "\n".join(conn.iterdump())
    assert len(salt) == 16 and digest == hashlib.scrypt(
        opened.key.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32
    )
    assert opened.key not in dump
    for suffix in ("", "-wal"):
        file = Path(str(store.path) + suffix)
        if file.exists():
            assert opened.key.encode() not in file.read_bytes()
    # two workshops never share a salt, so equal keys would still hash differently
    other = store.open_workshop(ITEMS)
    with sqlite3.connect(store.path) as conn:
        salts = [r[0] for r in conn.execute("SELECT key_salt FROM workshops")]
    assert len(set(salts)) == 2 and other.key != opened.key


def test_a_wrong_key_gives_no_dashboard(store):
    opened = store.open_workshop(ITEMS)
    wrong = ("A" if opened.key[0] != "A" else "C") + opened.key[1:]
    for code, key in [
        (opened.code, wrong),
        (opened.code, ""),
        (opened.code, opened.code),
        ("ACE-F47", opened.key),
        ("not a code", opened.key),
    ]:
        with pytest.raises(WrongKey, match="do not match a workshop"):
            store.facilitator(code, key)
    handle = store.facilitator(opened.code_text, opened.key_text.lower())
    assert handle.code == opened.code and handle.aggregate().items == ITEMS


def test_participant_ids_are_random_and_carry_no_name():
    ids = {new_participant_id() for _ in range(100)}
    assert len(ids) == 100 and all(len(i) == 32 and int(i, 16) >= 0 for i in ids)


# ----------------------------------------------------------------- answering


def test_counts_are_hidden_until_three_people_answered(store):
    opened = store.open_workshop(ITEMS)
    handle = store.facilitator(opened.code, opened.key)
    for i in range(THRESHOLD - 1):
        store.submit(opened.code, new_participant_id(), "before", _answers(i))
    agg = handle.aggregate()
    assert agg.before.respondents == 2 and agg.before.counts is None and not agg.before.shown
    assert aggregate_csv(agg).splitlines() == [",".join(ps.CSV_COLUMNS)]
    store.submit(opened.code, new_participant_id(), "before", _answers(2))
    agg = handle.aggregate()
    assert agg.before.respondents == 3 and agg.before.counts == _expected(3)
    assert agg.after.respondents == 0 and agg.after.counts is None


def test_a_round_is_sent_once_per_participant_and_the_first_answers_stay(store):
    opened = store.open_workshop(ITEMS)
    people = [new_participant_id() for _ in range(3)]
    for i, who in enumerate(people):
        store.submit(opened.code, who, "before", _answers(i))
    with pytest.raises(AlreadySent, match="You already sent your 'before' answers"):
        store.submit(opened.code, people[0], "before", dict.fromkeys(ITEMS, "fact"))
    agg = store.facilitator(opened.code, opened.key).aggregate()
    assert agg.before.respondents == 3
    assert sum(agg.before.counts[ITEMS[0]].values()) == 3
    assert agg.before.counts[ITEMS[0]] == _expected(3)[ITEMS[0]]  # unchanged


def test_join_tells_a_participant_which_rounds_it_has_sent(store):
    opened = store.open_workshop(ITEMS)
    who, other = new_participant_id(), new_participant_id()
    assert store.join(opened.code, who).sent == frozenset()
    store.submit(opened.code, who, "before", _answers(0))
    joined = store.join(opened.code, who)
    assert joined.sent == {"before"} and joined.waiting
    assert store.join(opened.code, other).sent == frozenset()
    assert store.join(opened.code).sent == frozenset()  # no token, nothing to tell
    store.facilitator(opened.code, opened.key).set_phase("after")
    assert not store.join(opened.code, who).waiting
    store.submit(opened.code, who, "after", _answers(0))
    assert store.join(opened.code, who).sent == {"before", "after"}


def test_a_token_is_stored_only_as_a_hash_that_differs_per_workshop(store):
    first, second = store.open_workshop(ITEMS), store.open_workshop(ITEMS)
    who = new_participant_id()
    store.submit(first.code, who, "before", _answers(0))
    store.submit(second.code, who, "before", _answers(0))
    with sqlite3.connect(store.path) as conn:
        stored = {row[0] for row in conn.execute("SELECT DISTINCT participant FROM answers")}
    assert len(stored) == 2 and who not in stored  # the two workshops cannot be linked


def test_after_opens_only_when_the_facilitator_says(store):
    opened = store.open_workshop(ITEMS)
    who = new_participant_id()
    with pytest.raises(PhaseClosed, match="not opened the 'after' questions"):
        store.submit(opened.code, who, "after", _answers(0))
    handle = store.facilitator(opened.code, opened.key)
    handle.set_phase("after")
    assert store.join(opened.code).phase == "after"
    store.submit(opened.code, who, "after", _answers(0))
    with pytest.raises(PhaseClosed, match="'before' questions are closed"):
        store.submit(opened.code, who, "before", _answers(0))
    assert handle.aggregate().after.respondents == 1


@pytest.mark.parametrize(
    "answers, words",
    [
        ({}, "Please answer every statement (3 still open)"),
        ({ITEMS[0]: "myth", ITEMS[1]: "fact"}, "1 still open"),
        ({**_answers(0), ITEMS[2]: None}, "1 still open"),
        ({**_answers(0), "made-up": "myth"}, "no statement 'made-up'"),
        ({**_answers(0), ITEMS[0]: "maybe"}, "must be one of myth, fact, unsure"),
    ],
)
def test_incomplete_or_odd_answers_are_refused_and_nothing_is_stored(store, answers, words):
    opened = store.open_workshop(ITEMS)
    with pytest.raises(BadAnswers, match=re.escape(words)):
        store.submit(opened.code, new_participant_id(), "before", answers)
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM answers").fetchone() == (0,)


def test_submitting_with_a_forged_participant_id_or_phase_is_refused(store):
    opened = store.open_workshop(ITEMS)
    with pytest.raises(ValueError):
        store.submit(opened.code, "Alice Smith", "before", _answers(0))
    with pytest.raises(ValueError):
        store.submit(opened.code, new_participant_id(), "during", _answers(0))


def test_a_participant_api_has_no_way_to_read_answers(store):
    # What a participant's page can call: join and submit. Neither returns answers.
    opened = store.open_workshop(ITEMS)
    for i in range(3):
        assert store.submit(opened.code, new_participant_id(), "before", _answers(i)) is None
    joined = store.join(opened.code, new_participant_id())
    assert set(vars(joined)) == {"code", "phase", "items", "sent"}
    assert not [name for name in dir(store) if "answer" in name.lower() or name == "aggregate"]


# ----------------------------------------------------------------- ending a workshop


def test_workshops_expire_after_seven_days(tmp_path):
    clock = Clock()
    store = PollStore(tmp_path / "poll.sqlite3", clock=clock)
    old = store.open_workshop(ITEMS)
    for i in range(3):
        store.submit(old.code, new_participant_id(), "before", _answers(i))
    handle = store.facilitator(old.code, old.key)
    clock.now += 6 * 24 * 3600
    young = store.open_workshop(ITEMS)
    assert store.join(old.code).code == old.code  # six days: still open

    clock.now += 24 * 3600  # seven days after the first one opened
    with pytest.raises(UnknownCode):
        store.join(old.code)
    with pytest.raises(WrongKey):
        store.facilitator(old.code, old.key)
    with pytest.raises(WorkshopGone):
        handle.aggregate()
    with pytest.raises(WorkshopGone):
        store.submit(old.code, new_participant_id(), "before", _answers(0))
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("SELECT code FROM workshops").fetchall() == [(young.code,)]
        assert conn.execute("SELECT COUNT(*) FROM answers").fetchone() == (0,)
    assert store.join(young.code).code == young.code


@pytest.mark.parametrize("days", [1, 14, 56])
def test_a_facilitator_chooses_how_long_a_workshop_lives(tmp_path, days):
    clock = Clock()
    store = PollStore(tmp_path / "poll.sqlite3", clock=clock)
    opened = store.open_workshop(ITEMS, days=days)
    handle = store.facilitator(opened.code, opened.key)
    assert handle.aggregate().expires == clock.now + days * 24 * 3600
    clock.now += days * 24 * 3600 - 60
    assert store.join(opened.code).code == opened.code  # a weekly group meets again
    clock.now += 60
    with pytest.raises(UnknownCode):
        store.join(opened.code)


@pytest.mark.parametrize("days", [0, 57, 7.5, "7", True])
def test_a_workshop_lives_one_day_to_eight_weeks(store, days):
    with pytest.raises(PollError, match="1 to 56 days"):
        store.open_workshop(ITEMS, days=days)


def test_a_version_1_database_keeps_its_workshops_for_seven_days(tmp_path):
    path = tmp_path / "poll.sqlite3"
    with sqlite3.connect(path) as conn:  # the schema the course shipped before
        conn.executescript("""
            PRAGMA journal_mode = WAL;
            CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE workshops (id INTEGER PRIMARY KEY, code TEXT NOT NULL UNIQUE,
                key_salt BLOB NOT NULL, key_hash BLOB NOT NULL, created REAL NOT NULL,
                phase TEXT NOT NULL, items TEXT NOT NULL);
            CREATE TABLE answers (workshop INTEGER NOT NULL, participant TEXT NOT NULL,
                phase TEXT NOT NULL, item TEXT NOT NULL, answer TEXT NOT NULL,
                PRIMARY KEY (workshop, participant, phase, item));
            INSERT INTO meta VALUES ('schema_version', '1');
        """)
        conn.execute(
            "INSERT INTO workshops VALUES (1, 'ACEF47', x'00', x'00', ?, 'before', ?)",
            (1_800_000_000.0, json.dumps(ITEMS)),
        )
    clock = Clock()
    store = PollStore(path, clock=clock)
    assert store.join("ACE-F47").items == tuple(ITEMS)
    clock.now += 7 * 24 * 3600
    with pytest.raises(UnknownCode):
        store.join("ACE-F47")


def test_reading_deletes_expired_workshops_even_without_a_new_one(tmp_path):
    clock = Clock()
    store = PollStore(tmp_path / "poll.sqlite3", clock=clock)
    old = store.open_workshop(ITEMS)
    clock.now += 7 * 24 * 3600 + 1
    assert store.purge_expired() == 1
    assert store.purge_expired() == 0
    with pytest.raises(UnknownCode):
        store.join(old.code)


def test_the_facilitator_can_delete_a_workshop(store):
    opened = store.open_workshop(ITEMS)
    other = store.open_workshop(ITEMS)
    for i in range(3):
        store.submit(opened.code, new_participant_id(), "before", _answers(i))
        store.submit(other.code, new_participant_id(), "before", _answers(i))
    handle = store.facilitator(opened.code, opened.key)
    handle.delete()
    with pytest.raises(UnknownCode):
        store.join(opened.code)
    with pytest.raises(WorkshopGone):
        handle.aggregate()
    with pytest.raises(WorkshopGone):
        handle.set_phase("after")
    assert store.facilitator(other.code, other.key).aggregate().before.respondents == 3
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("SELECT COUNT(DISTINCT participant) FROM answers").fetchone() == (3,)


# ----------------------------------------------------------------- CSV export


def test_csv_holds_only_the_aggregate(store):
    opened = store.open_workshop(ITEMS)
    people = [new_participant_id() for _ in range(4)]
    for i, who in enumerate(people):
        store.submit(opened.code, who, "before", _answers(i))
    statements = {ITEMS[0]: '=HYPERLINK("x")', ITEMS[1]: "Rest, then move", ITEMS[2]: "Plain"}
    text = aggregate_csv(store.facilitator(opened.code, opened.key).aggregate(), statements)
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == ps.CSV_COLUMNS
    assert [r["item"] for r in rows] == list(ITEMS) and {r["round"] for r in rows} == {"before"}
    expected = _expected(4)
    for row in rows:
        assert row["people_answered"] == "4"
        columns = zip(ANSWERS, ("myth", "fact", "not_sure"), strict=True)
        assert {a: int(row[c]) for a, c in columns} == expected[row["item"]]
    assert rows[0]["statement"].startswith("'=")  # no formula runs in a spreadsheet
    assert rows[1]["statement"] == "Rest, then move"
    for who in people:
        assert who not in text


# ----------------------------------------------------------------- many writers at once


def test_forty_threads_answering_at_the_same_moment_lose_nothing(store):
    opened = store.open_workshop(ITEMS)
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            write_once(str(store.path), opened.code, i, ITEMS, barrier)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert errors == [] and not any(t.is_alive() for t in threads)
    agg = store.facilitator(opened.code, opened.key).aggregate()
    assert agg.before.respondents == WRITERS
    assert agg.before.counts == _expected(WRITERS)


@pytest.mark.slow
def test_forty_processes_answering_at_the_same_moment_lose_nothing(store):
    opened = store.open_workshop(ITEMS)
    ctx = multiprocessing.get_context("spawn")  # like separate kernels: nothing shared
    barrier = ctx.Barrier(WRITERS)
    procs = [
        ctx.Process(target=write_once, args=(str(store.path), opened.code, i, ITEMS, barrier))
        for i in range(WRITERS)
    ]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=240)
    assert [p.exitcode for p in procs] == [0] * WRITERS
    agg = store.facilitator(opened.code, opened.key).aggregate()
    assert agg.before.respondents == WRITERS
    assert agg.before.counts == _expected(WRITERS)
    totals = Counter()
    for item in ITEMS:
        totals.update(agg.before.counts[item])
    assert sum(totals.values()) == WRITERS * len(ITEMS)


def test_forty_first_writers_on_an_empty_file_create_one_schema(tmp_path):
    path = tmp_path / "fresh" / "poll.sqlite3"
    barrier = threading.Barrier(WRITERS)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=60)
            PollStore(path)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM meta").fetchone() == (1,)
    assert os.path.getsize(path) > 0
