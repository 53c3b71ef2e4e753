"""The workshop poll's storage: anonymous myth-or-fact answers in SQLite.

A facilitator opens a workshop and gets a short join code (for the room) and a
secret facilitator key (shown once; only its salted scrypt hash is stored).
Participants join with the code under a random id (no names) and answer the
poll items once "before" and once "after" the session: each participant (one
browser, which keeps an anonymous token; see ``widgets.poll``) can send each round
once, also after a reload or from a second tab, so nobody is counted twice. The
token is never stored as it is: each workshop stores a hash of it with its code,
so one browser's answers in two workshops cannot be linked. The facilitator, and
only someone holding the key, reads the counts: per item and answer, never a
person's answers, and only once at least ``THRESHOLD`` people answered.

Safe with many writers at once (each participant has a kernel of their own):
every answer is one ``BEGIN IMMEDIATE`` transaction on a WAL-mode database with
a busy timeout, so writers queue instead of failing. Every call opens its own
connection, so one ``PollStore`` may be shared by threads.

The file lives outside the folder Voila serves (``COURSE_POLL_DB``, default
``~/.local/share/backpain-course/poll.sqlite3``); a path inside ``notebooks/``
or ``share/`` is refused. A workshop lives for the days its facilitator chose
(1 to 56, 7 by default; a weekly group can compare before and after weeks apart)
and is deleted, with its answers, whenever a workshop is opened, joined or read
after that.

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

from ..i18n import N_, _

PHASES = ("before", "after")
# The rounds by name, as people read them: the dashboard's "Round open now: before", the
# CSV's round column (translated where shown: ``_(PHASE_NAMES[phase])``).
PHASE_NAMES = {
    # Translators: the name of the workshop poll's first round (answered before the session).
    "before": N_("before"),
    # Translators: the name of the workshop poll's second round (answered after the session).
    "after": N_("after"),
}
ANSWERS = ("myth", "fact", "unsure")
THRESHOLD = 3
DAY_SECONDS = 24 * 3600
DEFAULT_DAYS = 7
MAX_DAYS = 56  # 8 weeks
MAX_AGE_SECONDS = DEFAULT_DAYS * DAY_SECONDS  # the default lifetime
SCHEMA_VERSION = "2"

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
    items    TEXT NOT NULL,
    expires  REAL
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
    """The workshop was deleted or has passed the end of its life."""


class AlreadySent(PollError):
    """This participant (browser) has already sent this round."""


class UnsafePath(PollError):
    """The database path is inside a folder the web server serves."""


# ------------------------------------------------------------------------- codes


def normalise_code(text: str) -> str:
    """The code as typed, cleaned (``"ACE-F47"``, ``" ace f47 "`` -> ``"ACEF47"``), or ``BadCode``.

    Any 6 letters and numbers are well formed; one that no workshop could have (such
    as ABC-123) is simply unknown, and the caller says so.
    """
    if not isinstance(text, str) or len(text) > 40:
        raise BadCode(_("A join code has 6 letters and numbers, like ACE-F47."))
    cleaned = re.sub(r"[\s-]+", "", text).upper()
    if not cleaned:
        raise BadCode(_("Type the join code shown on the screen, like ACE-F47."))
    if len(cleaned) != CODE_LENGTH or not cleaned.isascii() or not cleaned.isalnum():
        raise BadCode(
            _(
                "That does not look like a join code. A code has 6 letters and numbers, "
                "like ACE-F47. Check the code on the screen and try again."
            )
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
    return "-".join(key[i : i + 4] for i in range(0, len(key), 4))


def _random_text(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _i in range(length))


def new_participant_id() -> str:
    """A random, meaningless token for one participant's browser (128 bits, no name)."""
    return secrets.token_hex(16)


def _stored_participant(code: str, participant: str) -> str:
    """What the database keeps for a participant: a hash of the token with the code."""
    return hashlib.sha256(f"{code}:{participant}".encode("ascii")).hexdigest()[:32]


def _hash_key(key: str, salt: bytes) -> bytes:
    return hashlib.scrypt(key.encode("ascii"), salt=salt, **_SCRYPT)


# ------------------------------------------------------------------------- paths


def default_db_path() -> Path:
    """``$XDG_DATA_HOME/backpain-course/poll.sqlite3`` (default ``~/.local/share/...``)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "backpain-course" / "poll.sqlite3"


def resolve_db_path(
    path: str | os.PathLike[str] | None = None, served: Sequence[Path] = SERVED_DIRS
) -> Path:
    """The database path: ``path``, else ``$COURSE_POLL_DB``, else ``default_db_path()``.

    Raises ``UnsafePath`` for a path inside a served folder (it could be downloaded).
    """
    raw = path if path is not None else (os.environ.get("COURSE_POLL_DB") or default_db_path())
    resolved = Path(raw).expanduser().resolve()
    for folder in served:
        if resolved.is_relative_to(Path(folder).resolve()):
            raise UnsafePath(
                # Translators: {folder} is a folder on the server; COURSE_POLL_DB is a setting's
                # name (keep it as it is).
                _(
                    "The poll database must not be inside {folder}: the web server shows that "
                    "folder. Set COURSE_POLL_DB to a path outside it, or leave it unset."
                ).format(folder=folder)
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
    """What a participant may know about a workshop: its code, round and items, and
    which rounds this participant has already sent (never what they answered)."""

    code: str
    phase: str
    items: tuple[str, ...]
    sent: frozenset[str] = frozenset()

    @property
    def waiting(self) -> bool:
        """True when this participant has sent the round that is open now."""
        return self.phase in self.sent


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
    expires: float = 0.0  # when the workshop and its answers are deleted (epoch seconds)

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
        ``time.time`` unless a test passes its own (for the expiry).
    busy_timeout : float
        Seconds a writer waits for another writer's transaction before giving up.
    """

    @staticmethod
    def valid_participant(token: object) -> bool:
        """True for a token shaped as ``new_participant_id()`` makes (32 hex digits)."""
        return isinstance(token, str) and _PARTICIPANT.match(token) is not None

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        clock: Callable[[], float] = time.time,
        busy_timeout: float = 30.0,
        served: Sequence[Path] = SERVED_DIRS,
    ):
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
                    _migrate(conn)
                    conn.execute(
                        "INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)",
                        (SCHEMA_VERSION,),
                    )
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
        """Workshops whose end (``expires``) is after this time are alive."""
        return self._clock()

    def purge_expired(self) -> int:
        """Delete workshops (and their answers) past their end; return how many."""
        with closing(self._connect()) as conn:  # a cheap read first: most calls find none
            if (
                conn.execute(
                    "SELECT 1 FROM workshops WHERE expires <= ? LIMIT 1", (self._oldest_allowed(),)
                ).fetchone()
                is None
            ):
                return 0

        def work(conn: sqlite3.Connection) -> int:
            old = [
                row[0]
                for row in conn.execute(
                    "SELECT id FROM workshops WHERE expires <= ?", (self._oldest_allowed(),)
                )
            ]
            for workshop_id in old:
                conn.execute("DELETE FROM answers WHERE workshop = ?", (workshop_id,))
                conn.execute("DELETE FROM workshops WHERE id = ?", (workshop_id,))
            return len(old)

        return int(self._write(work))

    # -- facilitator ---------------------------------------------------------------------

    def open_workshop(self, items: Iterable[str], days: int = DEFAULT_DAYS) -> Opened:
        """Start a workshop asking ``items`` (poll item ids), kept for ``days`` days.

        The key is shown only now. ``days`` is 1 to ``MAX_DAYS`` (8 weeks).
        """
        items = tuple(items)
        if (
            not items
            or len(set(items)) != len(items)
            or not all(isinstance(i, str) and _ITEM.match(i) for i in items)
        ):
            raise ValueError("a workshop needs distinct item ids")
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= MAX_DAYS:
            raise PollError(
                _("A workshop can be kept for 1 to {days} days (8 weeks).").format(days=MAX_DAYS)
            )
        self.purge_expired()
        key = _random_text(KEY_LENGTH)
        salt = secrets.token_bytes(16)
        digest = _hash_key(key, salt)

        def work(conn: sqlite3.Connection) -> str:
            for _attempt in range(20):
                code = _random_text(CODE_LENGTH)
                taken = conn.execute("SELECT 1 FROM workshops WHERE code = ?", (code,)).fetchone()
                if not taken:
                    now = self._clock()
                    conn.execute(
                        "INSERT INTO workshops (code, key_salt, key_hash, created, phase, items, "
                        "expires) VALUES (?, ?, ?, ?, 'before', ?, ?)",
                        (code, salt, digest, now, json.dumps(items), now + days * DAY_SECONDS),
                    )
                    return code
            raise RuntimeError("could not find a free join code")  # pragma: no cover

        code = str(self._write(work))
        return Opened(code=code, key=key)

    def facilitator(self, code: str, key: str) -> Facilitator:
        """The facilitator's handle on a workshop, or ``WrongKey``.

        The key is checked here, once, against its salted hash in constant time;
        the handle then reads the aggregate as often as the dashboard refreshes.
        """
        message = _("That join code and facilitator key do not match a workshop that is open.")
        try:
            code = normalise_code(code)
        except BadCode:
            raise WrongKey(message) from None
        self.purge_expired()
        with closing(self._connect()) as conn:
            row = conn.execute(
                "SELECT id, key_salt, key_hash FROM workshops WHERE code = ? AND expires > ?",
                (code, self._oldest_allowed()),
            ).fetchone()
        # Hash even when the code is unknown, so timing does not tell which part was wrong.
        salt, stored = (row[1], row[2]) if row else (b"\0" * 16, b"\0" * 32)
        given = _hash_key(normalise_key(key) or "-", salt)
        if not (hmac.compare_digest(given, stored) and row):
            raise WrongKey(message)
        return Facilitator(self, row[0], code)

    # -- participants ----------------------------------------------------------------------

    def join(self, code: str, participant: str | None = None) -> Joined:
        """What a participant needs to answer: the round now open and the items.

        With ``participant`` (the browser's token), also which rounds it has sent.
        """
        code = normalise_code(code)
        if participant is not None:
            _check_participant(participant)
        self.purge_expired()
        with closing(self._connect()) as conn:
            row = conn.execute(
                "SELECT id, phase, items FROM workshops WHERE code = ? AND expires > ?",
                (code, self._oldest_allowed()),
            ).fetchone()
            sent: frozenset[str] = frozenset()
            if row is not None and participant is not None:
                sent = frozenset(
                    phase
                    for (phase,) in conn.execute(
                        "SELECT DISTINCT phase FROM answers WHERE workshop = ? AND participant = ?",
                        (row[0], _stored_participant(code, participant)),
                    )
                )
        if row is None:
            raise UnknownCode(
                _(
                    "No workshop has the code {code} right now. Check the code on "
                    "the screen and try again. A code stops working when the workshop ends."
                ).format(code=format_code(code))
            )
        return Joined(code=code, phase=row[1], items=tuple(json.loads(row[2])), sent=sent)

    def submit(self, code: str, participant: str, phase: str, answers: Mapping[str, str]) -> None:
        """Store one participant's answers to every item for one round (one transaction).

        ``participant`` is the browser's anonymous token. Each participant sends each
        round once: a second send of the same round is refused with ``AlreadySent``
        (after a reload, or from a second tab), so the totals count each person once.
        """
        code = normalise_code(code)
        _check_participant(participant)
        stored = _stored_participant(code, participant)
        if phase not in PHASES:
            raise ValueError(f"phase must be one of {PHASES}")
        answers = dict(answers)

        def work(conn: sqlite3.Connection) -> None:
            row = conn.execute(
                "SELECT id, phase, items FROM workshops WHERE code = ? AND expires > ?",
                (code, self._oldest_allowed()),
            ).fetchone()
            if row is None:
                raise WorkshopGone(_("This workshop has ended, so answers can no longer be sent."))
            if conn.execute(
                "SELECT 1 FROM answers WHERE workshop = ? AND participant = ? "
                "AND phase = ? LIMIT 1",
                (row[0], stored, phase),
            ).fetchone():
                raise AlreadySent(already_sent(phase))
            workshop_id, open_phase, items_json = row
            if phase != open_phase:
                if phase == "after":
                    raise PhaseClosed(
                        _(
                            "The facilitator has not opened the 'after' questions "
                            "yet. Please wait until they ask you."
                        )
                    )
                raise PhaseClosed(
                    _(
                        "The 'before' questions are closed now. You can answer "
                        "the 'after' questions instead."
                    )
                )
            items = json.loads(items_json)
            _check_answers(items, answers)
            conn.executemany(
                "INSERT INTO answers (workshop, participant, phase, item, answer) "
                "VALUES (?, ?, ?, ?, ?)",
                [(workshop_id, stored, phase, item, answers[item]) for item in items],
            )

        self._write(work)


def already_sent(phase: str) -> str:
    """What a participant reads when this browser has already sent the round."""
    if phase == "before":
        return _(
            "You already sent your 'before' answers from this browser. Each person "
            "sends each round once, so the room's totals stay true."
        )
    return _(
        "You already sent your 'after' answers from this browser. Each person "
        "sends each round once, so the room's totals stay true."
    )


def _check_participant(participant: object) -> None:
    if not isinstance(participant, str) or not _PARTICIPANT.match(participant):
        raise ValueError("participant tokens come from new_participant_id() (32 hex digits)")


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring a version-1 database (7 days for every workshop) to the current schema."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(workshops)")}
    if "expires" not in columns:
        conn.execute("ALTER TABLE workshops ADD COLUMN expires REAL")
    conn.execute(
        "UPDATE workshops SET expires = created + ? WHERE expires IS NULL",
        (DEFAULT_DAYS * DAY_SECONDS,),
    )


def _check_answers(items: Sequence[str], answers: Mapping[str, str]) -> None:
    unknown = [k for k in answers if k not in items]
    if unknown:
        raise BadAnswers(
            _("There is no statement {item} in this workshop.").format(item=repr(unknown[0]))
        )
    missing = [i for i in items if i not in answers or answers[i] is None]
    if missing:
        raise BadAnswers(
            # Translators: {count} is how many statements have no answer yet; 'Not sure' is
            # the poll's third answer (the lesson pages call it «No lo sé»).
            _(
                "Please answer every statement ({count} still open). "
                "If you are not sure, choose 'Not sure'."
            ).format(count=len(missing))
        )
    odd = [v for v in answers.values() if v not in ANSWERS]
    if odd:
        raise BadAnswers(
            _("An answer must be one of {answers}.").format(answers=", ".join(ANSWERS))
        )


GONE = N_("This workshop has been deleted, or the time it was kept for has ended.")


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
            row = conn.execute(
                "SELECT phase, created, items, expires FROM workshops WHERE id = ? AND expires > ?",
                (self._id, store._oldest_allowed()),
            ).fetchone()
            if row is None:
                conn.execute("COMMIT")
                raise WorkshopGone(_(GONE))
            phase, created, items_json, expires = row
            items = tuple(json.loads(items_json))
            rounds = {}
            for name in PHASES:
                (people,) = conn.execute(
                    "SELECT COUNT(DISTINCT participant) FROM answers WHERE workshop = ? "
                    "AND phase = ?",
                    (self._id, name),
                ).fetchone()
                counts = None
                if people >= THRESHOLD:
                    table = {item: dict.fromkeys(ANSWERS, 0) for item in items}
                    for item, answer, n in conn.execute(
                        "SELECT item, answer, COUNT(*) FROM answers WHERE workshop = ? "
                        "AND phase = ? GROUP BY item, answer",
                        (self._id, name),
                    ):
                        if item in table:
                            table[item][answer] = n
                    counts = table
                rounds[name] = PhaseCounts(name, people, counts)
            conn.execute("COMMIT")
        return Aggregate(
            code=self.code,
            phase=phase,
            created=created,
            items=items,
            before=rounds["before"],
            after=rounds["after"],
            expires=expires,
        )

    def set_phase(self, phase: str) -> None:
        """Open a round: participants can then answer only that round."""
        if phase not in PHASES:
            raise ValueError(f"phase must be one of {PHASES}")

        def work(conn: sqlite3.Connection) -> None:
            done = conn.execute(
                "UPDATE workshops SET phase = ? WHERE id = ? AND expires > ?",
                (phase, self._id, self._store._oldest_allowed()),
            )
            if done.rowcount != 1:
                raise WorkshopGone(_(GONE))

        self._store._write(work)

    def delete(self) -> None:
        """Delete the workshop and every answer to it. The join code stops working."""

        def work(conn: sqlite3.Connection) -> None:
            conn.execute("DELETE FROM answers WHERE workshop = ?", (self._id,))
            conn.execute("DELETE FROM workshops WHERE id = ?", (self._id,))

        self._store._write(work)


# ------------------------------------------------------------------------- export

CSV_COLUMNS = ("item", "statement", "round", "people_answered", "myth", "fact", "not_sure")
# The columns' names in the file, in the language of the page that makes it.
CSV_HEADINGS = (
    # Translators: the CSV file of the poll's totals: a column's name (the statement's id).
    # Keep each column name one word, with underscores between words.
    N_("item"),
    # Translators: the CSV file of the poll's totals: a column's name.
    N_("statement"),
    # Translators: the CSV file of the poll's totals: a column's name (before or after).
    N_("round"),
    # Translators: the CSV file of the poll's totals: a column's name (one word).
    N_("people_answered"),
    # Translators: the CSV file of the poll's totals: a column's name (answer: a myth).
    N_("myth"),
    # Translators: the CSV file of the poll's totals: a column's name (answer: a fact).
    N_("fact"),
    # Translators: the CSV file of the poll's totals: a column's name (answer: not sure).
    N_("not_sure"),
)


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
    writer.writerow([_(heading) for heading in CSV_HEADINGS])
    for phase in PHASES:
        rnd = aggregate.round(phase)
        if rnd.counts is None:
            continue
        for item in aggregate.items:
            counts = rnd.counts[item]
            writer.writerow(
                [
                    item,
                    _cell(statements.get(item, "")),
                    _(PHASE_NAMES[phase]),
                    rnd.respondents,
                    counts["myth"],
                    counts["fact"],
                    counts["unsure"],
                ]
            )
    return out.getvalue()
