"""The workshop poll's storage: anonymous myth-or-fact answers in SQLite.

A facilitator opens a workshop and gets a short join code (for the room) and a
secret facilitator key (shown once; only its salted scrypt hash is stored).
Participants join with the code under a random id (no names) and answer the
poll items once "before" and once "after" the session. The facilitator, and
only someone holding the key, reads the counts: per item and answer, never a
person's answers, and only once at least ``THRESHOLD`` people answered.

Safe with many writers at once (each participant has a kernel of their own):
every answer is one ``BEGIN IMMEDIATE`` transaction on a WAL-mode database with
a busy timeout, so writers queue instead of failing. Every call opens its own
connection, so one ``PollStore`` may be shared by threads.

The file lives outside the folder Voila serves (``COURSE_POLL_DB``, default
``~/.local/share/backpain-course/poll.sqlite3``); a path inside ``notebooks/``
or ``share/`` is refused. Workshops older than 7 days are deleted whenever a
workshop is opened, joined or read.

Only the standard library: no UI here (tests/unit/test_architecture.py).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
import io
import json
import os
import re
import secrets
import sqlite3
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

PHASES = ("before", "after")
ANSWERS = ("myth", "fact", "unsure")
THRESHOLD = 3
MAX_AGE_SECONDS = 7 * 24 * 3600
SCHEMA_VERSION = "1"

# Codes are read off a projector and typed on phones: no 0/O/Q/D, 1/I/L, 2/Z, 5/S, 8/B, U/V.
ALPHABET = "ACEFHJKMNPRTWXY34679"
CODE_LENGTH = 6
KEY_LENGTH = 16
_PARTICIPANT = re.compile(r"^[0-9a-f]{32}$")
_ITEM = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")

# scrypt cost: about 30 ms a check here; a key is checked once per facilitator session.
_SCRYPT = {"n": 2**14, "r": 8, "p": 1, "dklen": 32}

REPO_ROOT = Path(__file__).resolve().parents[2]
SERVED_DIRS = (REPO_ROOT / "notebooks", REPO_ROOT / "share")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS workshops (
    id       INTEGER PRIMARY KEY,
    code     TEXT NOT NULL UNIQUE,
    key_salt BLOB NOT NULL,
    key_hash BLOB NOT NULL,
    created  REAL NOT NULL,
    phase    TEXT NOT NULL CHECK (phase IN ('before', 'after')),
    items    TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS workshops_created ON workshops (created);
CREATE TABLE IF NOT EXISTS answers (
    workshop    INTEGER NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
    participant TEXT NOT NULL,
    phase       TEXT NOT NULL CHECK (phase IN ('before', 'after')),
    item        TEXT NOT NULL,
    answer      TEXT NOT NULL CHECK (answer IN ('myth', 'fact', 'unsure')),
    PRIMARY KEY (workshop, participant, phase, item)
);
"""


# ------------------------------------------------------------------------- errors


class PollError(ValueError):
    """Something a person can fix; ``str()`` is a plain message to show them."""


class BadCode(PollError):
    """The join code is not shaped like one."""


class UnknownCode(PollError):
    """No live workshop has this join code."""


class WrongKey(PollError):
    """The join code and facilitator key do not match a live workshop."""


class PhaseClosed(PollError):
    """The facilitator has not opened (or has closed) this round of questions."""


class BadAnswers(PollError):
    """Answers missing, unknown items or unknown answers."""


class WorkshopGone(PollError):
    """The workshop was deleted or is more than 7 days old."""


class UnsafePath(PollError):
    """The database path is inside a folder the web server serves."""


# ------------------------------------------------------------------------- codes


def normalise_code(text: str) -> str:
    """The code as stored (``"ACE-F47"``, ``" ace f47 "`` -> ``"ACEF47"``), or ``BadCode``."""
    if not isinstance(text, str) or len(text) > 40:
        raise BadCode("A join code has 6 letters and numbers, like ACE-F47.")
    cleaned = re.sub(r"[\s-]+", "", text).upper()
    if not cleaned:
        raise BadCode("Type the join code shown on the screen, like ACE-F47.")
    if len(cleaned) != CODE_LENGTH or any(ch not in ALPHABET for ch in cleaned):
        raise BadCode(
            "That does not look like a join code. A code has 6 letters and numbers, "
            "like ACE-F47. Check the code on the screen and try again."
        )
    return cleaned


def format_code(code: str) -> str:
    """``"ACEF47"`` -> ``"ACE-F47"``: easier to read aloud and to copy."""
    return f"{code[:3]}-{code[3:]}"


def normalise_key(text: str) -> str:
    if not isinstance(text, str) or len(text) > 80:
        return ""
    return re.sub(r"[\s-]+", "", text).upper()


def format_key(key: str) -> str:
    return "-".join(key[i:i + 4] for i in range(0, len(key), 4))


def _random_text(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def new_participant_id() -> str:
    """A random, meaningless id for one participant's page (128 bits, no name)."""
    return secrets.token_hex(16)


def _hash_key(key: str, salt: bytes) -> bytes:
    return hashlib.scrypt(key.encode("ascii"), salt=salt, **_SCRYPT)


# ------------------------------------------------------------------------- paths


def default_db_path() -> Path:
    """``$XDG_DATA_HOME/backpain-course/poll.sqlite3`` (default ``~/.local/share/...``)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "backpain-course" / "poll.sqlite3"


def resolve_db_path(path: str | os.PathLike[str] | None = None,
                    served: Sequence[Path] = SERVED_DIRS) -> Path:
    """The database path: ``path``, else ``$COURSE_POLL_DB``, else ``default_db_path()``.

    Raises ``UnsafePath`` for a path inside a served folder (it could be downloaded).
    """
    raw = path if path is not None else (os.environ.get("COURSE_POLL_DB") or default_db_path())
    resolved = Path(raw).expanduser().resolve()
    for folder in served:
        if resolved.is_relative_to(Path(folder).resolve()):
            raise UnsafePath(
                f"The poll database must not be inside {folder}: the web server shows that "
                "folder. Set COURSE_POLL_DB to a path outside it, or leave it unset."
            )
    return resolved


# ------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Opened:
    """What a facilitator gets once: the join code for the room and the secret key."""

    code: str
    key: str

    @property
    def code_text(self) -> str:
        return format_code(self.code)

    @property
    def key_text(self) -> str:
        return format_key(self.key)


@dataclass(frozen=True)
class Joined:
    """What a participant may know about a workshop: its code, round and items."""

    code: str
    phase: str
    items: tuple[str, ...]


@dataclass(frozen=True)
class PhaseCounts:
    """One round's aggregate. ``counts`` is None until ``THRESHOLD`` people answered."""

    phase: str
    respondents: int
    counts: Mapping[str, Mapping[str, int]] | None

    @property
    def shown(self) -> bool:
        return self.counts is not None


@dataclass(frozen=True)
class Aggregate:
    """Counts per item and answer, before and after. Never a person's answers."""

    code: str
    phase: str
    created: float
    items: tuple[str, ...]
    before: PhaseCounts
    after: PhaseCounts

    def round(self, phase: str) -> PhaseCounts:
        return self.before if phase == "before" else self.after


# ------------------------------------------------------------------------- the store


class PollStore:
    """The poll database. Cheap to make: one per kernel, shared by its threads.

    Parameters
    ----------
    path : path-like, optional
        Database file (default: ``resolve_db_path()``). Created from empty, with
        its folder, readable by the owner only.
    clock : callable returning seconds, optional
        ``time.time`` unless a test passes its own (for the 7-day expiry).
    busy_timeout : float
        Seconds a writer waits for another writer's transaction before giving up.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *,
                 clock: Callable[[], float] = time.time, busy_timeout: float = 30.0,
                 served: Sequence[Path] = SERVED_DIRS):
        self.path = resolve_db_path(path, served)
        self._clock = clock
        self._busy_timeout = busy_timeout
        self._create()

    # -- connections -------------------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, timeout=self._busy_timeout, isolation_level=None)
        conn.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        return conn

    def _create(self) -> None:
        folder = self.path.parent
        if not folder.exists():
            folder.mkdir(parents=True, mode=0o700, exist_ok=True)
        if not self.path.exists():
            try:
                os.close(os.open(self.path, os.O_CREAT | os.O_RDWR, 0o600))
            except FileExistsError:  # pragma: no cover - another process was quicker
                pass
        deadline = time.monotonic() + self._busy_timeout
        while True:
            try:
                with closing(self._connect()) as conn:
                    if self._ready(conn):
                        return
                    # Switching to WAL needs a moment alone with the file; it persists.
                    mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                    if mode.lower() != "wal":
                        raise sqlite3.OperationalError("database is locked (journal mode)")
                    conn.execute("BEGIN IMMEDIATE")
                    for statement in filter(str.strip, _SCHEMA.split(";")):
                        conn.execute(statement)
                    conn.execute("INSERT OR IGNORE INTO meta (key, value) VALUES "
                                 "('schema_version', ?)", (SCHEMA_VERSION,))
                    conn.execute("COMMIT")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    @staticmethod
    def _ready(conn: sqlite3.Connection) -> bool:
        """True when the file is already in WAL mode with the current schema."""
        if conn.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
            return False
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        except sqlite3.OperationalError:
            return False
        return row is not None and row[0] == SCHEMA_VERSION

    def _write(self, work: Callable[[sqlite3.Connection], object]) -> object:
        """Run ``work`` in one immediate transaction: all of it is stored, or none."""
        with closing(self._connect()) as conn:
            conn.execute("BEGIN IMMEDIATE")
            try:
                result = work(conn)
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
            return result

    def _oldest_allowed(self) -> float:
        return self._clock() - MAX_AGE_SECONDS

    def purge_expired(self) -> int:
        """Delete workshops (and their answers) older than 7 days; return how many."""
        with closing(self._connect()) as conn:  # a cheap read first: most calls find none
            if conn.execute("SELECT 1 FROM workshops WHERE created <= ? LIMIT 1",
                            (self._oldest_allowed(),)).fetchone() is None:
                return 0

        def work(conn: sqlite3.Connection) -> int:
            old = [row[0] for row in conn.execute(
                "SELECT id FROM workshops WHERE created <= ?", (self._oldest_allowed(),))]
            for workshop_id in old:
                conn.execute("DELETE FROM answers WHERE workshop = ?", (workshop_id,))
                conn.execute("DELETE FROM workshops WHERE id = ?", (workshop_id,))
            return len(old)
        return int(self._write(work))

    # -- facilitator ---------------------------------------------------------------------

    def open_workshop(self, items: Iterable[str]) -> Opened:
        """Start a workshop asking ``items`` (poll item ids). The key is shown only now."""
        items = tuple(items)
        if not items or len(set(items)) != len(items) or not all(
                isinstance(i, str) and _ITEM.match(i) for i in items):
            raise ValueError("a workshop needs distinct item ids")
        self.purge_expired()
        key = _random_text(KEY_LENGTH)
        salt = secrets.token_bytes(16)
        digest = _hash_key(key, salt)

        def work(conn: sqlite3.Connection) -> str:
            for _ in range(20):
                code = _random_text(CODE_LENGTH)
                taken = conn.execute("SELECT 1 FROM workshops WHERE code = ?", (code,)).fetchone()
                if not taken:
                    conn.execute(
                        "INSERT INTO workshops (code, key_salt, key_hash, created, phase, items) "
                        "VALUES (?, ?, ?, ?, 'before', ?)",
                        (code, salt, digest, self._clock(), json.dumps(items)))
                    return code
            raise RuntimeError("could not find a free join code")  # pragma: no cover

        code = str(self._write(work))
        return Opened(code=code, key=key)

    def facilitator(self, code: str, key: str) -> Facilitator:
        """The facilitator's handle on a workshop, or ``WrongKey``.

        The key is checked here, once, against its salted hash in constant time;
        the handle then reads the aggregate as often as the dashboard refreshes.
        """
        message = "That join code and facilitator key do not match a workshop that is open."
        try:
            code = normalise_code(code)
        except BadCode:
            raise WrongKey(message) from None
        self.purge_expired()
        with closing(self._connect()) as conn:
            row = conn.execute(
                "SELECT id, key_salt, key_hash FROM workshops WHERE code = ? AND created > ?",
                (code, self._oldest_allowed())).fetchone()
        # Hash even when the code is unknown, so timing does not tell which part was wrong.
        salt, stored = (row[1], row[2]) if row else (b"\0" * 16, b"\0" * 32)
        given = _hash_key(normalise_key(key) or "-", salt)
        if not (hmac.compare_digest(given, stored) and row):
            raise WrongKey(message)
        return Facilitator(self, row[0], code)

    # -- participants ----------------------------------------------------------------------

    def join(self, code: str) -> Joined:
        """What a participant needs to answer: the round now open and the items."""
        code = normalise_code(code)
        self.purge_expired()
        with closing(self._connect()) as conn:
            row = conn.execute(
                "SELECT phase, items FROM workshops WHERE code = ? AND created > ?",
                (code, self._oldest_allowed())).fetchone()
        if row is None:
            raise UnknownCode(
                f"No workshop has the code {format_code(code)} right now. Check the code on "
                "the screen and try again. A code stops working when the workshop ends."
            )
        return Joined(code=code, phase=row[0], items=tuple(json.loads(row[1])))

    def submit(self, code: str, participant: str, phase: str,
               answers: Mapping[str, str]) -> None:
        """Store one participant's answers to every item for one round (one transaction).

        Answering the same round again replaces that participant's earlier answers.
        """
        code = normalise_code(code)
        if not isinstance(participant, str) or not _PARTICIPANT.match(participant):
            raise ValueError("participant ids come from new_participant_id()")
        if phase not in PHASES:
            raise ValueError(f"phase must be one of {PHASES}")
        answers = dict(answers)

        def work(conn: sqlite3.Connection) -> None:
            row = conn.execute(
                "SELECT id, phase, items FROM workshops WHERE code = ? AND created > ?",
                (code, self._oldest_allowed())).fetchone()
            if row is None:
                raise WorkshopGone("This workshop has ended, so answers can no longer be sent.")
            workshop_id, open_phase, items_json = row
            if phase != open_phase:
                if phase == "after":
                    raise PhaseClosed("The facilitator has not opened the 'after' questions "
                                      "yet. Please wait until they ask you.")
                raise PhaseClosed("The 'before' questions are closed now. You can answer "
                                  "the 'after' questions instead.")
            items = json.loads(items_json)
            _check_answers(items, answers)
            conn.execute("DELETE FROM answers WHERE workshop = ? AND participant = ? "
                         "AND phase = ?", (workshop_id, participant, phase))
            conn.executemany(
                "INSERT INTO answers (workshop, participant, phase, item, answer) "
                "VALUES (?, ?, ?, ?, ?)",
                [(workshop_id, participant, phase, item, answers[item]) for item in items])

        self._write(work)


def _check_answers(items: Sequence[str], answers: Mapping[str, str]) -> None:
    unknown = [k for k in answers if k not in items]
    if unknown:
        raise BadAnswers(f"There is no statement {unknown[0]!r} in this workshop.")
    missing = [i for i in items if i not in answers or answers[i] is None]
    if missing:
        raise BadAnswers(
            f"Please answer every statement ({len(missing)} still open). "
            "If you are not sure, choose 'Not sure'."
        )
    odd = [v for v in answers.values() if v not in ANSWERS]
    if odd:
        raise BadAnswers(f"An answer must be one of {', '.join(ANSWERS)}.")


class Facilitator:
    """A workshop, as seen by whoever holds its key. Made by ``PollStore.facilitator``."""

    def __init__(self, store: PollStore, workshop_id: int, code: str):
        self._store = store
        self._id = workshop_id
        self.code = code

    @property
    def code_text(self) -> str:
        return format_code(self.code)

    def aggregate(self) -> Aggregate:
        """Counts per item and answer for each round; hidden below ``THRESHOLD`` people."""
        store = self._store
        store.purge_expired()
        with closing(store._connect()) as conn:
            conn.execute("BEGIN")  # one consistent snapshot for every count below
            row = conn.execute("SELECT phase, created, items FROM workshops WHERE id = ? "
                               "AND created > ?", (self._id, store._oldest_allowed())).fetchone()
            if row is None:
                conn.execute("COMMIT")
                raise WorkshopGone("This workshop has been deleted or is more than 7 days old.")
            phase, created, items_json = row
            items = tuple(json.loads(items_json))
            rounds = {}
            for name in PHASES:
                (people,) = conn.execute(
                    "SELECT COUNT(DISTINCT participant) FROM answers WHERE workshop = ? "
                    "AND phase = ?", (self._id, name)).fetchone()
                counts = None
                if people >= THRESHOLD:
                    table = {item: dict.fromkeys(ANSWERS, 0) for item in items}
                    for item, answer, n in conn.execute(
                            "SELECT item, answer, COUNT(*) FROM answers WHERE workshop = ? "
                            "AND phase = ? GROUP BY item, answer", (self._id, name)):
                        if item in table:
                            table[item][answer] = n
                    counts = table
                rounds[name] = PhaseCounts(name, people, counts)
            conn.execute("COMMIT")
        return Aggregate(code=self.code, phase=phase, created=created, items=items,
                         before=rounds["before"], after=rounds["after"])

    def set_phase(self, phase: str) -> None:
        """Open a round: participants can then answer only that round."""
        if phase not in PHASES:
            raise ValueError(f"phase must be one of {PHASES}")

        def work(conn: sqlite3.Connection) -> None:
            done = conn.execute("UPDATE workshops SET phase = ? WHERE id = ? AND created > ?",
                                (phase, self._id, self._store._oldest_allowed()))
            if done.rowcount != 1:
                raise WorkshopGone("This workshop has been deleted or is more than 7 days old.")
        self._store._write(work)

    def delete(self) -> None:
        """Delete the workshop and every answer to it. The join code stops working."""
        def work(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM answers WHERE workshop = ?", (self._id,))
            conn.execute("DELETE FROM workshops WHERE id = ?", (self._id,))
        self._store._write(work)


# ------------------------------------------------------------------------- export

CSV_COLUMNS = ("item", "statement", "round", "people_answered", "myth", "fact", "not_sure")


def _cell(text: str) -> str:
    # A spreadsheet runs a cell that starts with = + - @ as a formula; make it text.
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def aggregate_csv(aggregate: Aggregate, statements: Mapping[str, str] | None = None) -> str:
    """The aggregate as CSV: one row per item and round that has reached the threshold.

    Only counts: there is no column for a participant, and rounds with fewer than
    ``THRESHOLD`` people have no rows at all.
    """
    statements = statements or {}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for phase in PHASES:
        rnd = aggregate.round(phase)
        if rnd.counts is None:
            continue
        for item in aggregate.items:
            counts = rnd.counts[item]
            writer.writerow([item, _cell(statements.get(item, "")), phase, rnd.respondents,
                             counts["myth"], counts["fact"], counts["unsure"]])
    return out.getvalue()
