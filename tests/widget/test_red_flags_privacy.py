"""Privacy: what a learner ticks never reaches a file, a log or the network.

docs/clinical-safety.md, hazard H6. The checker is used in a fresh Python process
watched by an audit hook (``sys.addaudithook``): every file opened for writing,
every socket, URL request, subprocess and database is recorded, every log record
of every logger is recorded, and stdout/stderr are captured. The only channel
that may carry the answers is the widget's own comm, which in Voila goes to the
learner's page; the test records it too, to show the answers did travel there
and nowhere else. Canaries at the end prove each watcher really sees what it
is meant to see, so the test cannot pass by watching nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

from tests.conftest import REPO

SCRIPT = textwrap.dedent(r'''
    import contextlib, io, itertools, json, logging, os, socket, sys, tempfile

    import comm
    from comm import DummyComm

    page_messages = []

    class PageComm(DummyComm):
        """Stands in for the comm to the learner's page: keeps what it would send."""
        def publish_msg(self, msg_type, data=None, metadata=None, buffers=None, **keys):
            page_messages.append(json.dumps(data, default=str))

    comm.create_comm = lambda *a, **k: PageComm(*a, **k)

    import widgets.logic.red_flags as rules
    from widgets.red_flags import RED_FLAGS, RedFlagChecker, assess

    checker = RedFlagChecker()       # content files are read here, before watching starts
    ids = [flag.id for flag in RED_FLAGS]

    events, records = [], []
    watching = False
    WRITE = os.O_WRONLY | os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_TRUNC
    NETWORK = ("socket.", "urllib.", "http.", "ftplib.", "smtplib.", "poplib.", "imaplib.",
               "nntplib.", "telnetlib.", "webbrowser.")
    OTHER = {"subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn",
             "os.fork", "os.remove", "os.rename", "os.mkdir", "os.truncate", "os.link",
             "os.symlink", "shutil.copyfile", "shutil.move", "sqlite3.connect", "shelve.open",
             "dbm.open", "tempfile.mkstemp", "tempfile.mkdtemp", "os.putenv"}

    def hook(event, args):
        if not watching:
            return
        if event == "open":
            path, mode, flags = (list(args) + [None, None])[:3]
            writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
                mode is None and isinstance(flags, int) and flags & WRITE)
            if writing:
                events.append(f"open for writing: {path}")
        elif event.startswith(NETWORK) or event in OTHER:
            events.append(f"{event}: {args!r}"[:300])

    sys.addaudithook(hook)

    original_handle = logging.Logger.handle
    def handle(self, record):
        records.append(f"{self.name}: {record.getMessage()}")
        return original_handle(self, record)
    logging.Logger.handle = handle
    logging.getLogger().setLevel(logging.DEBUG)  # no record is filtered out before it is seen

    out, err = io.StringIO(), io.StringIO()
    messages_before = len(page_messages)
    watching = True
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        # A learner ticks each sign alone, then every pair of signs, then all of them,
        # reading the result and the reasons each time, and the API is called for each.
        # (Every one of the 2^15 combinations is checked against the rules, without the
        # watchers, in tests/unit/test_red_flags.py.)
        for flag_id in ids:
            checker.boxes[flag_id].value = True
            _ = checker.result_text, checker.why[flag_id].value
            checker.boxes[flag_id].value = False
        for ticked in [*itertools.combinations(ids, 2), tuple(ids)]:
            for flag_id in ids:
                checker.boxes[flag_id].value = flag_id in ticked
            _ = checker.result_text, checker.result
            assess(set(ticked))
        checker.clear_button.click()
        checker.tick("saddle_numbness", "cancer_history")
        checker.untick("cancer_history")
        checker.clear()
    watching = False
    normal = {"events": list(events), "records": list(records),
              "stdout": out.getvalue(), "stderr": err.getvalue(),
              "page_messages": len(page_messages) - messages_before,
              "page_saw_a_tick": any('"value": true' in m for m in page_messages[messages_before:])}

    # The error path: friendly() may log, but only the error type and the method name.
    events.clear(); records.clear()
    def broken(*args, **kwargs):
        raise RuntimeError("boom " + " ".join(ids))
    rules.assess, real = broken, rules.assess
    watching = True
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        checker.boxes["bladder_bowel"].value = True
    watching = False
    rules.assess = real
    failing = {"events": list(events), "records": list(records)}

    # Canaries: each watcher must see a write, a connection and a log record.
    events.clear(); records.clear()
    watching = True
    with tempfile.TemporaryDirectory() as tmp:
        with open(os.path.join(tmp, "canary.txt"), "w") as fh:
            fh.write("x")
    with socket.socket() as s:
        s.settimeout(0.2)
        try:
            s.connect(("127.0.0.1", 9))
        except OSError:
            pass
    logging.getLogger("canary").debug("canary")
    watching = False
    canary = {"events": list(events), "records": list(records)}

    print(json.dumps({"normal": normal, "failing": failing, "canary": canary, "ids": ids,
                      "questions": [flag.question for flag in RED_FLAGS]}))
''')


def _run() -> dict:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    proc = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


RESULT = None


def _result() -> dict:
    global RESULT
    if RESULT is None:
        RESULT = _run()
    return RESULT


def test_the_watchers_work():
    canary = _result()["canary"]
    assert any(
        e.startswith("open for writing:") and e.endswith("canary.txt") for e in canary["events"]
    )
    assert any(e.startswith("socket.connect") for e in canary["events"])
    assert canary["records"] == ["canary: canary"]


def test_using_the_checker_writes_sends_and_logs_nothing():
    normal = _result()["normal"]
    assert normal["events"] == []
    assert normal["records"] == []
    assert normal["stdout"] == "" and normal["stderr"] == ""


def test_the_answers_travel_only_to_the_page():
    normal = _result()["normal"]
    # The widget's state went to the page's comm (so the watchers were watching real use)...
    assert normal["page_messages"] > 64 and normal["page_saw_a_tick"]
    # ...and that comm is the only way out: nothing else was opened, sent or logged.
    assert normal["events"] == [] and normal["records"] == []


def test_a_failure_logs_only_the_error_type_never_an_answer():
    result = _result()
    failing = result["failing"]
    assert failing["events"] == []
    assert failing["records"] == ["widgets: RedFlagChecker._on_change failed: RuntimeError"]
    for text in failing["records"]:
        for secret in (*result["ids"], *result["questions"], "boom"):
            assert secret not in text
