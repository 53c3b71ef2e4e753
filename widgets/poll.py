"""The workshop poll's two pages: a participant's form and the facilitator's dashboard.

``JoinPoll`` (notebooks/workshop/join.ipynb): a participant types the join code
(or opens ``/join/<CODE>``, which fills it in), marks each statement as myth, fact
or "not sure", sends, and later answers again "after", once the facilitator opens
that round (the page watches for it). Each browser sends each round once: the
page's anonymous token (``widgets._page.PageContext``) survives a reload and is
shared by a second tab, and the store refuses a second send, so a reload shows
"you already sent this round" instead of a blank form. It never reads anything
back but the round that is open and which rounds this browser has sent.

``FacilitatorDashboard`` (notebooks/workshop/facilitator.ipynb): open a workshop
(join code and secret key, the key shown once), or come back with code and key;
then see the room's totals before beside after, refreshed every second by a
background thread in the kernel, once 3 or more people answered; open the
"after" round, export the totals as CSV, delete the workshop.

Both are driven from code as from the page, e.g.::

    page = JoinPoll(store=store)
    page.code_input.value = "ACE-F47"
    page.join_button.click()
    page.choose("scan-shows-cause", "myth")
    page.send_button.click()

Storage and every rule live in ``widgets.logic.poll_store``.
"""

from __future__ import annotations

import datetime as dt
import html
import threading
from collections.abc import Callable, Mapping, Sequence

import ipywidgets as ipw

from ._live import LiveRegion
from ._page import PageContext
from ._poller import Poller
from ._safe import friendly
from ._view import View
from .content.poll import PollItem, load_poll_items
from .i18n import N_, _, current
from .logic.download import download_link
from .logic.join_link import join_address, join_url, qr_svg
from .logic.poll_store import (
    ANSWERS,
    DEFAULT_DAYS,
    THRESHOLD,
    Aggregate,
    AlreadySent,
    Facilitator,
    PollError,
    PollStore,
    WorkshopGone,
    aggregate_csv,
    format_code,
    new_participant_id,
)
from .logic.poll_totals import ANSWER_LABELS, room_totals_html, status_html, totals_table_html
from .logic.text import plain_text as _plain
from .workshop import answers_html

ROUND_TITLES = {
    # Translators: the heading of the poll's first round, on a participant's page.
    "before": N_("Before the session"),
    # Translators: the heading of the poll's second round, on a participant's page.
    "after": N_("After the session"),
}
# How long a facilitator can keep a workshop: a day, or a weekly group's weeks.
KEEP_FOR = (
    # Translators: how long a workshop's answers are kept (a choice in a menu).
    (N_("1 day"), 1),
    (N_("1 week"), 7),
    (N_("2 weeks"), 14),
    (N_("4 weeks"), 28),
    (N_("8 weeks"), 56),
)
REFRESH_SECONDS = 1.0
WATCH_SECONDS = 3.0  # how often a participant's page looks for the 'after' round
MAX_REFRESH_SECONDS = 6 * 3600  # a forgotten dashboard stops reading after 6 hours
AFTER_OPEN = N_("The 'after' questions are open now. Press the button to answer them.")


def _h(text: str) -> str:
    """A translated text in an HTML element's content (quotes stay as they are)."""
    return html.escape(text, quote=False)


def _join_code_input() -> ipw.Text:
    """The box a join code is typed in (a participant's, or a returning facilitator's)."""
    return ipw.Text(
        # Translators: the label of the box for the workshop's join code.
        description=_("Join code"),
        # Translators: the hint in the empty join code box (keep the code ACE-F47 as it is).
        placeholder=_("for example ACE-F47"),
        continuous_update=False,
    )


class _View(View):
    """Shared bits: a status line that screen readers announce, and friendly errors."""

    def _setup_message(self) -> None:
        self.message = LiveRegion()
        self.message.add_class("course-poll__message")

    def show_error(self, message: str) -> None:
        self.message.value = f'<p class="course-poll__error">{html.escape(message)}</p>'

    def show_ok(self, message: str) -> None:
        self.message.value = f'<p class="course-poll__ok">{html.escape(message)}</p>'

    @property
    def message_text(self) -> str:
        """The status line as plain text, as a screen reader reads it."""
        return _plain(self.message.value)


# =============================================================================== participant


class JoinPoll(_View):
    """A participant's page: join with a code, answer before, and later after.

    Parameters
    ----------
    store : PollStore, optional
        Where answers go (default: ``PollStore()``, made at the first join).
    items : sequence of PollItem, optional
        The statements, for their wording (default: ``load_poll_items()``).
    auto_refresh : bool
        Watch for the 'after' round from a background thread (tests pass False and
        call ``check_round()``).
    """

    def __init__(
        self,
        store: PollStore | None = None,
        items: Sequence[PollItem] | None = None,
        auto_refresh: bool = True,
        **kwargs,
    ):
        self._store = store
        self._items = {item.id: item for item in (items or load_poll_items())}
        # Until the page sends its browser's token, a token for this page alone.
        self._participant = new_participant_id()
        self._code: str | None = None
        self._phase: str | None = None
        self._asked: tuple[str, ...] = ()
        self._sent: set[str] = set()
        self._auto = auto_refresh
        self._watcher = Poller("poll-watch")
        self.page = PageContext()
        self.page.observe(self._on_page, names=["token", "url_code"])

        self.code_input = _join_code_input()
        self.join_button = ipw.Button(
            # Translators: a button (the join page calls it «Unirme al taller»).
            description=_("Join the workshop"),
            button_style="primary",
            tooltip=_("Join the workshop with this code"),
        )
        self.join_button.on_click(self._on_join)
        join_row = ipw.HBox([self.code_input, self.join_button])
        join_row.add_class("course-poll__buttons")
        self._join_box = ipw.VBox([join_row])

        self.heading = ipw.HTML("")
        self.cards: dict[str, ipw.RadioButtons] = {}
        self._cards_box = ipw.VBox([])
        self.send_button = ipw.Button(
            # Translators: a button: send the poll's answers.
            description=_("Send my answers"),
            button_style="primary",
            tooltip=_("Send your answers to the workshop"),
        )
        self.send_button.on_click(self._on_send)
        self._form = ipw.VBox([self.heading, self._cards_box, self.send_button])
        self._form.layout.display = "none"

        self.after_button = ipw.Button(
            # Translators: a button on a participant's page (the pages call the round «después»).
            description=_("Answer the 'after' questions"),
            tooltip=_("Answer the same statements again, after the session"),
        )
        self.after_button.on_click(self._on_after)
        self.after_button.layout.display = "none"
        self.answers = ipw.HTML("")
        self._setup_message()
        super().__init__(
            [self.page, self._join_box, self._form, self.message, self.after_button, self.answers],
            **kwargs,
        )
        self.add_class("course-poll")

    # -- what a participant does, callable from code ---------------------------------------

    @property
    def participant(self) -> str:
        """The anonymous token answers are sent under (this browser's, once it is known)."""
        return self._participant

    @property
    def watching(self) -> bool:
        return self._watcher.running

    def join(self, code: str) -> None:
        self.code_input.value = code
        self.join_button.click()

    def choose(self, item_id: str, answer: str) -> None:
        """Mark one statement: ``answer`` is "myth", "fact" or "unsure"."""
        self.cards[item_id].value = answer

    @property
    def phase(self) -> str | None:
        """The round shown now ("before" or "after"), or None before joining."""
        return self._phase

    @property
    def visible_text(self) -> str:
        """Everything the page shows, as plain text (for tests: no one else's answers)."""
        parts = [self.heading.value, self.message.value, self.answers.value]
        parts += [f"{self._items[i].statement if i in self._items else i}" for i in self.cards]
        return _plain(" ".join(parts))

    # -- callbacks -------------------------------------------------------------------------

    def _get_store(self) -> PollStore:
        if self._store is None:
            self._store = PollStore()
        return self._store

    @friendly
    def _on_page(self, change=None) -> None:
        # The browser's token replaces the page's own until the participant has joined;
        # a token of any other shape is ignored (the page's own is kept).
        if self._code is None and PollStore.valid_participant(self.page.token):
            self._participant = self.page.token
        # /join/<CODE> fills the code in and joins, once the browser's token is known.
        if self.page.url_code and self.page.token and self._code is None:
            self.code_input.value = self.page.url_code
            self.join_button.click()

    @friendly
    def _on_join(self, _button=None) -> None:
        try:
            joined = self._get_store().join(self.code_input.value, self._participant)
        except PollError as exc:
            self.show_error(str(exc))
            return
        self._code = joined.code
        self._asked = joined.items
        self._sent = set(joined.sent)
        self.code_input.value = format_code(joined.code)
        self._join_box.layout.display = "none"
        welcome = _(
            "You have joined workshop {code}. "
            "Your answers are anonymous: nobody sees your name or your answers."
        ).format(code=format_code(joined.code))
        if joined.waiting:
            self._round_sent(joined.phase, just_now=False)
            return
        self._show_round(joined.phase)
        self.show_ok(welcome)

    def _round_sent(self, phase: str, just_now: bool) -> None:
        """The round is in (just now, or earlier from this browser: then say so, never
        show a blank form that would count this person twice): what comes next."""
        self._phase = phase
        self._sent.add(phase)
        self._form.layout.display = "none"
        if phase == "before":
            lead = (
                _("Thank you. Your 'before' answers are in.")
                if just_now
                else _("You already sent your 'before' answers from this browser.")
            )
            then = _("When your facilitator opens the 'after' questions, they will appear here.")
            self.show_ok(f"{lead} {then}")
            self._watch()
        else:
            lead = (
                _("Thank you. Your 'after' answers are in.")
                if just_now
                else _("You already sent your 'after' answers from this browser.")
            )
            then = _(
                "Your facilitator will show the room's totals. Here are the "
                "answers, with their sources."
            )
            self.show_ok(f"{lead} {then}")
            self._show_answers()

    def _show_answers(self) -> None:
        items = [self._items[i] for i in self._asked if i in self._items]
        # Translators: the heading above the poll's answers, with their sources.
        heading = _h(_("The answers"))
        self.answers.value = f"<h2>{heading}</h2>" + answers_html(items)

    def _show_round(self, phase: str) -> None:
        self._phase = phase
        n = len(self._asked)
        title = _h(_(ROUND_TITLES[phase]))
        # Translators: {n} is how many statements there are; “Not sure” is the third
        # answer (the join page calls it «No lo sé»).
        intro = _(
            "Is each statement a myth or a fact? There are {n}. "
            "If you are not sure, choose “Not sure”. There is no score."
        ).format(n=n)
        self.heading.value = f"<h2>{title}</h2><p>{_h(intro)}</p>"
        self.cards, boxes = {}, []
        for number, item_id in enumerate(self._asked, start=1):
            item = self._items.get(item_id)
            statement = item.statement if item else item_id
            # Translators: the heading of each statement of the poll, e.g. "Statement 2 of 5."
            head = _h(_("Statement {number} of {total}.").format(number=number, total=n))
            prompt = ipw.HTML(
                f'<p class="course-poll__prompt"><strong>{head}</strong> '
                f"{html.escape(statement)}</p>"
            )
            radios = ipw.RadioButtons(
                options=[(_(ANSWER_LABELS[a]), a) for a in ANSWERS],
                value=None,
                layout=ipw.Layout(width="auto"),
            )
            card = ipw.VBox([prompt, radios])
            card.add_class("course-poll__card")
            self.cards[item_id] = radios
            boxes.append(card)
        self._cards_box.children = boxes
        self.send_button.description = _("Send my answers")
        self._form.layout.display = None
        self.after_button.layout.display = "none"

    @friendly
    def _on_send(self, _button=None) -> None:
        if self._code is None or self._phase is None:
            self.show_error(_("Join the workshop with its code first."))
            return
        answers = {item: radios.value for item, radios in self.cards.items()}
        try:
            self._get_store().submit(self._code, self._participant, self._phase, answers)
        except AlreadySent:
            # Sent from another tab, or before a reload: say so, and count it once.
            self._round_sent(self._phase, just_now=False)
            return
        except PollError as exc:
            self.show_error(str(exc))
            return
        self._round_sent(self._phase, just_now=True)

    # -- watching for the 'after' round ------------------------------------------------

    def check_round(self) -> bool:
        """Look once whether the 'after' round is open (the watcher calls this).

        Shows the "Answer the 'after' questions" button the first time it finds the
        round open and not yet sent from this browser; returns True then.
        """
        if self._code is None or "after" in self._sent or self._phase == "after":
            return False
        try:
            joined = self._get_store().join(self._code, self._participant)
        except PollError as exc:
            self.show_error(str(exc))
            return False
        if joined.phase != "after" or "after" in joined.sent:
            return False
        if self.after_button.layout.display == "none":
            self.after_button.layout.display = None
            self.show_ok(_(AFTER_OPEN))
        return True

    def _watch(self, interval: float = WATCH_SECONDS) -> None:
        if self._auto and not self.watching:
            self._watcher.start(self.check_round, interval, MAX_REFRESH_SECONDS)

    def stop_watching(self) -> None:
        self._watcher.stop()

    def close(self) -> None:
        self.stop_watching()
        super().close()

    @friendly
    def _on_after(self, _button=None) -> None:
        if self._code is None:
            self.show_error(_("Join the workshop with its code first."))
            return
        try:
            joined = self._get_store().join(self._code, self._participant)
        except PollError as exc:
            self.show_error(str(exc))
            return
        if joined.phase != "after":
            self.after_button.layout.display = "none"
            self.show_ok(
                _(
                    "The facilitator has gone back to the 'before' questions. The "
                    "'after' questions will appear here when they open again."
                )
            )
            self._watch()
            return
        if "after" in joined.sent:
            self._round_sent("after", just_now=False)
            return
        self._asked = joined.items
        self._show_round("after")
        self.show_ok(_("Here are the same statements again. Answer them as you see them now."))


# =============================================================================== facilitator


def _buttons(*children: ipw.Widget) -> ipw.HBox:
    row = ipw.HBox(list(children))
    row.add_class("course-poll__buttons")
    return row


class _StartPanel(ipw.VBox):
    """Open a new workshop, or come back to one with its join code and key."""

    def __init__(self) -> None:
        self.keep_for = ipw.Dropdown(
            options=[(_(label), days) for label, days in KEEP_FOR],
            value=DEFAULT_DAYS,
            # Translators: the label of a menu: how long to keep the workshop's answers.
            description=_("Keep answers for"),
            style={"description_width": "initial"},
            layout=ipw.Layout(width="auto"),
        )
        self.open_button = ipw.Button(
            # Translators: a button (the facilitator page calls it «Abrir un taller nuevo»).
            description=_("Open a new workshop"),
            button_style="primary",
            tooltip=_("Open a new workshop and get its join code"),
        )
        self.code_input = _join_code_input()
        self.key_input = ipw.Password(
            # Translators: the label of the box for the facilitator's secret key.
            description=_("Facilitator key"),
            continuous_update=False,
        )
        self.show_button = ipw.Button(
            # Translators: a button: show the totals page of a workshop.
            description=_("Show the dashboard"),
            tooltip=_("Show the dashboard of this workshop"),
        )
        start = _h(_("Start a workshop"))
        start_text = _h(
            _(
                "A group that meets again next week can "
                "keep its answers until then, to compare before and after. The "
                "workshop and every answer are deleted by themselves at the end."
            )
        )
        back = _h(_("Or come back to a workshop"))
        back_text = _h(_("Type its join code and the facilitator key you wrote down."))
        super().__init__(
            [
                ipw.HTML(f"<h2>{start}</h2><p>{start_text}</p>"),
                self.keep_for,
                self.open_button,
                ipw.HTML(f"<h2>{back}</h2><p>{back_text}</p>"),
                _buttons(self.code_input, self.key_input, self.show_button),
            ]
        )


class _TotalsPanel(ipw.VBox):
    """The dashboard of one workshop: its status, the totals table, and what the
    facilitator can do (show the room, open a round, export, delete)."""

    def __init__(self) -> None:
        self.status = ipw.HTML("")
        self.status.add_class("course-poll__status")
        self.room_button = ipw.Button(
            # Translators: a button (the facilitator page calls it «Mostrar el código a la sala»).
            description=_("Show the code to the room"),
            button_style="primary",
            tooltip=_("Show only the join code, its QR code and the short address"),
        )
        self.totals_button = ipw.Button(
            # Translators: a button (the facilitator page calls it «Mostrar los totales a la sala»).
            description=_("Show the totals to the room"),
            tooltip=_("Show the totals large, one line per statement"),
        )
        self.table = ipw.HTML("")
        self.phase_button = ipw.Button()
        self.export_button = ipw.Button(
            # Translators: a button (the facilitator guide calls it «Crear un CSV de los totales»).
            description=_("Make a CSV of the totals"),
            tooltip=_("Make a file of the totals to download"),
        )
        self.download = ipw.HTML("")
        self.delete_button = ipw.Button(
            # Translators: a button (the facilitator guide calls it «Borrar este taller»).
            description=_("Delete this workshop"),
            button_style="danger",
            tooltip=_("Delete this workshop and all its answers"),
        )
        self.confirm_button = ipw.Button(
            # Translators: a button that confirms deleting the workshop.
            description=_("Yes, delete it and all answers"),
            button_style="danger",
            tooltip=_("Delete the workshop now; this cannot be undone"),
        )
        self.cancel_button = ipw.Button(
            # Translators: a button that cancels deleting the workshop.
            description=_("Keep the workshop"),
            tooltip=_("Do not delete the workshop"),
        )
        self.confirm_row = _buttons(self.confirm_button, self.cancel_button)
        super().__init__(
            [
                self.status,
                _buttons(self.room_button, self.totals_button),
                self.table,
                _buttons(self.phase_button, self.export_button, self.delete_button),
                self.confirm_row,
                self.download,
            ]
        )
        self.clear()

    def show(self, agg: Aggregate, items: Mapping[str, PollItem], now: str) -> None:
        """Show these totals (checked at ``now``, a time of day)."""
        self.status.value = status_html(agg, now)
        self.table.value = totals_table_html(agg, items)
        self._phase_button(agg.phase)

    def confirming(self, ask: bool) -> None:
        """Show or hide the "Yes, delete it" / "Keep the workshop" buttons."""
        self.confirm_row.layout.display = None if ask else "none"

    def clear(self) -> None:
        """Nothing of a workshop left on the panel."""
        for part in (self.status, self.table, self.download):
            part.value = ""
        self._phase_button("before")
        self.confirming(False)

    def _phase_button(self, phase: str) -> None:
        """The round button as it reads while ``phase`` is open."""
        description, tooltip = PHASE_BUTTON[phase]
        self.phase_button.description, self.phase_button.tooltip = _(description), _(tooltip)


class _RoomView(ipw.VBox):
    """What the room sees on the projector: the join code (or the totals), nothing else."""

    def __init__(self) -> None:
        self.room = ipw.HTML("")
        self.room.add_class("course-poll__room")
        self.back_button = ipw.Button(
            # Translators: a button: leave what the room sees, back to the totals page.
            description=_("Back to the dashboard"),
            tooltip=_("Leave the room view"),
        )
        self.kind: str | None = None  # "code" or "totals" while shown
        super().__init__([self.room, self.back_button])

    def show(self, kind: str, markup: str) -> None:
        self.kind, self.room.value = kind, markup

    def clear(self) -> None:
        self.kind, self.room.value = None, ""


# What the round button says in each round: (description, tooltip).
PHASE_BUTTON = {
    "before": (
        # Translators: a button (the facilitator page calls it «Abrir las preguntas «después»»).
        N_("Open the 'after' questions"),
        N_("Let participants answer the 'after' questions"),
    ),
    "after": (
        # Translators: a button: open the poll's first round again.
        N_("Go back to the 'before' questions"),
        N_("Let participants answer the 'before' questions again"),
    ),
}


class FacilitatorDashboard(_View):
    """The facilitator's page: open or return to a workshop, then watch the totals.

    Three panels, one shown at a time (``_show``): the start panel, the totals panel
    (the dashboard) and the room view; while a new key is on the screen, none of them.

    Parameters
    ----------
    store : PollStore, optional
        Default: ``PollStore()``, made when first needed.
    items : sequence of PollItem, optional
        The statements a new workshop asks (default: ``load_poll_items()``).
    auto_refresh : bool
        Refresh the totals every second from a background thread (tests pass False
        and call ``refresh()``).
    """

    def __init__(
        self,
        store: PollStore | None = None,
        items: Sequence[PollItem] | None = None,
        auto_refresh: bool = True,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        **kwargs,
    ):
        self._store = store
        self._items = {item.id: item for item in (items or load_poll_items())}
        self._auto = auto_refresh
        self._clock = clock
        self._handle: Facilitator | None = None
        self._lock = threading.RLock()
        self._poller = Poller("poll-dashboard")
        self._last: Aggregate | None = None
        self._announced: tuple = ()

        self.start = _StartPanel()
        self.totals = _TotalsPanel()
        self.room_view = _RoomView()
        self.secret = ipw.HTML("")
        self.secret.add_class("course-poll__secret-box")
        self.hide_key_button = ipw.Button(
            # Translators: a button (the facilitator page calls it «Ya he anotado la clave»).
            description=_("I have written the key down"),
            tooltip=_("Hide the key from the screen"),
        )
        self.page = PageContext()
        # The controls, by name, as a test or a notebook drives them.
        self.keep_for, self.open_button = self.start.keep_for, self.start.open_button
        self.code_input, self.key_input = self.start.code_input, self.start.key_input
        self.show_button = self.start.show_button
        t = self.totals
        self.status, self.table, self.download = t.status, t.table, t.download
        self.room_button, self.totals_button = t.room_button, t.totals_button
        self.phase_button, self.export_button = t.phase_button, t.export_button
        self.delete_button, self.confirm_button = t.delete_button, t.confirm_button
        self.cancel_button = t.cancel_button
        self.room, self.back_button = self.room_view.room, self.room_view.back_button

        for button, handler in (
            (self.open_button, self._on_open),
            (self.hide_key_button, self._on_hide_key),
            (self.show_button, self._on_show),
            (self.room_button, self._on_room),
            (self.totals_button, self._on_room_totals),
            (self.phase_button, self._on_phase),
            (self.export_button, self._on_export),
            (self.delete_button, self._on_delete),
            (self.confirm_button, self._on_confirm),
            (self.cancel_button, self._on_cancel),
            (self.back_button, self._on_back),
        ):
            button.on_click(handler)
        self._setup_message()
        super().__init__(
            [
                self.page,
                self.start,
                self.secret,
                self.hide_key_button,
                self.message,
                self.totals,
                self.room_view,
            ],
            **kwargs,
        )
        self.add_class("course-poll")
        self._show("start")

    # -- state ----------------------------------------------------------------------------

    @property
    def showing_dashboard(self) -> bool:
        return self._handle is not None and self.totals.layout.display != "none"

    @property
    def showing_room(self) -> str | None:
        """ "code" or "totals" while the room view is on the screen, else None."""
        return self.room_view.kind if self.room_view.layout.display != "none" else None

    @property
    def code_text(self) -> str | None:
        """The join code of the workshop on this page, as the room sees it."""
        return self._handle.code_text if self._handle else None

    @property
    def room_text(self) -> str:
        return _plain(self.room.value)

    @property
    def refreshing(self) -> bool:
        return self._poller.running

    @property
    def table_text(self) -> str:
        return _plain(self.table.value)

    @property
    def status_text(self) -> str:
        return _plain(self.status.value)

    def _get_store(self) -> PollStore:
        if self._store is None:
            self._store = PollStore()
        return self._store

    def _show(self, panel: str) -> None:
        """Show one panel of the page: "start" (open or come back to a workshop),
        "dashboard", "room" (what the projector shows), or "key" (none of them: the
        facilitator key alone, until it is written down)."""
        panels = {"start": self.start, "dashboard": self.totals, "room": self.room_view}
        for name, box in panels.items():
            box.layout.display = None if name == panel else "none"
        self.hide_key_button.layout.display = None if panel == "key" else "none"

    # -- opening and returning --------------------------------------------------------------

    @friendly
    def _on_open(self, _button=None) -> None:
        try:
            store = self._get_store()
            opened = store.open_workshop(list(self._items), days=self.keep_for.value)
        except PollError as exc:
            self.show_error(str(exc))
            return
        # The key alone on the screen: the join code appears only once it is hidden,
        # so a shared screen never shows both.
        shown_once = _h(_("Your facilitator key, shown only this once:"))
        keep_it = _h(
            _(
                "Write the key down now and keep it to yourself. With the join code, it "
                "opens this dashboard again (for example after a reload). Nobody can see the "
                "totals without it, and it cannot be shown again. The join code appears when "
                "you press the button below."
            )
        )
        self.secret.value = (
            '<div class="course-poll__secret">'
            f"<p><strong>{shown_once}</strong></p>"
            f'<p class="course-poll__key">{html.escape(opened.key_text)}</p>'
            f"<p>{keep_it}</p></div>"
        )
        self._attach(store.facilitator(opened.code, opened.key), show=False)
        self.show_ok(_("Your workshop is open. Write the key down, then press the button."))

    @friendly
    def _on_hide_key(self, _button=None) -> None:
        self.secret.value = ""
        if self._handle is not None:
            self._show("dashboard")
            self.show_ok(
                _("Workshop {code} is open. People can join now.").format(
                    code=self._handle.code_text
                )
            )
        else:
            self._show("start")

    @friendly
    def _on_show(self, _button=None) -> None:
        try:
            handle = self._get_store().facilitator(self.code_input.value, self.key_input.value)
        except PollError as exc:
            self.key_input.value = ""
            self.show_error(str(exc))
            return
        self.key_input.value = ""
        self._attach(handle)
        self.show_ok(_("Dashboard of workshop {code}.").format(code=handle.code_text))

    def _attach(self, handle: Facilitator, show: bool = True) -> None:
        self.stop_refresh()
        with self._lock:
            self._handle = handle
            self._last = None
            self._announced = ()
        self._show("dashboard" if show else "key")
        self.refresh()
        if self._auto:
            self.start_refresh()

    # -- refreshing ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the totals now and update the page (the background thread calls this)."""
        with self._lock:
            handle = self._handle
            if handle is None:
                return
            try:
                agg = handle.aggregate()
            except WorkshopGone as exc:
                self._ended(str(exc))
                return
            if agg != self._last:
                # Only a change is sent to the page: a kernel whose page is gone then
                # falls idle, and the server's culler can stop it.
                self._last = agg
                self.totals.show(agg, self._items, self._clock().strftime("%H:%M:%S"))
                if self.room_view.kind == "totals":
                    self.room_view.show("totals", room_totals_html(agg, self._items))
                self._announce(agg)

    def start_refresh(self, interval: float = REFRESH_SECONDS) -> None:
        """Refresh every ``interval`` seconds in a background thread until ``stop_refresh``."""
        if self.refreshing:
            return

        def step() -> bool:
            self.refresh()
            return self._handle is None  # the workshop ended: nothing more to read

        def failed(_exc: Exception) -> bool:
            self.show_error(_("The totals could not be read just now. Retrying."))
            return self._handle is None

        self._poller.start(step, interval, MAX_REFRESH_SECONDS, failed)

    def stop_refresh(self) -> None:
        self._poller.stop()

    def close(self) -> None:
        self.stop_refresh()
        super().close()

    def _ended(self, message: str) -> None:
        self._reset()
        self.show_error(message)

    def _reset(self) -> None:
        """Back to the start panel, with nothing of the workshop left on the page."""
        with self._lock:
            self._handle = None
        self._poller.stop()
        self.secret.value = ""
        self.totals.clear()
        self.room_view.clear()
        self._show("start")

    def _announce(self, agg: Aggregate) -> None:
        # Announce changes that matter (not every count): rounds shown, round opened.
        state = (agg.phase, agg.before.shown, agg.after.shown)
        if self._announced and state != self._announced:
            if agg.phase != self._announced[0]:
                self.show_ok(
                    _("The 'after' questions are open now.")
                    if agg.phase == "after"
                    else _("The 'before' questions are open now.")
                )
            elif state[1:] != self._announced[1:]:
                self.show_ok(_("Enough people have answered: the totals are shown."))
        self._announced = state

    # -- the room view -----------------------------------------------------------------------

    @friendly
    def _on_room(self, _button=None) -> None:
        handle = self._need_handle()
        if handle is None:
            return
        code = handle.code_text
        # Translators: in large letters on the projector, above the join code.
        lead = _h(_("Join the poll on your phone"))
        parts = [
            f'<p class="course-poll__room-lead">{lead}</p>',
            f'<p class="course-poll__code">{html.escape(code)}</p>',
        ]
        if self.page.origin:
            address = join_address(self.page.origin, self.page.base or "/", current())
            link = join_url(self.page.origin, self.page.base or "/", code, current())
            # Translators: on the projector, under the join address and above a QR code.
            scan = _h(_("Type the code there, or scan this code with your phone's camera:"))
            # Translators: what a screen reader says of the QR code; {link} is an address.
            label = _("QR code that opens {link}").format(link=link)
            parts += [
                f'<p class="course-poll__room-address">{html.escape(address)}</p>',
                f'<p class="course-poll__room-lead">{scan}</p>',
                f'<div class="course-poll__qr">{qr_svg(link, label)}</div>',
            ]
        else:  # not served by the course server (JupyterLab): the page's own name
            # Translators: {page} is the join page's file name (keep it as it is).
            open_page = _h(_("Open the page {page} and type the code.")).format(
                page="workshop/join.ipynb"
            )
            parts.append(f'<p class="course-poll__room-lead">{open_page}</p>')
        self._show_room("code", "".join(parts))

    @friendly
    def _on_room_totals(self, _button=None) -> None:
        if self._need_handle() is None:
            return
        self.refresh()
        if self._last is not None:
            self._show_room("totals", room_totals_html(self._last, self._items))

    @friendly
    def _on_back(self, _button=None) -> None:
        self.room_view.clear()
        self._show("dashboard" if self._handle is not None else "start")

    def _show_room(self, kind: str, markup: str) -> None:
        self.room_view.show(kind, markup)
        self.message.value = ""
        self._show("room")

    # -- actions ---------------------------------------------------------------------------------

    def _need_handle(self) -> Facilitator | None:
        if self._handle is None:
            self.show_error(_("Open a workshop, or type its join code and key, first."))
        return self._handle

    @friendly
    def _on_phase(self, _button=None) -> None:
        handle = self._need_handle()
        if handle is None:
            return
        current = self._last.phase if self._last else "before"
        try:
            handle.set_phase("after" if current == "before" else "before")
        except WorkshopGone as exc:
            self._ended(str(exc))
            return
        self.refresh()

    @friendly
    def _on_export(self, _button=None) -> None:
        handle = self._need_handle()
        if handle is None:
            return
        try:
            agg = handle.aggregate()
        except WorkshopGone as exc:
            self._ended(str(exc))
            return
        if not (agg.before.shown or agg.after.shown):
            self.download.value = ""
            # Translators: {threshold} is 3 (people).
            self.show_error(
                _("There is nothing to export until {threshold} people have answered.").format(
                    threshold=THRESHOLD
                )
            )
            return
        statements = {i: item.statement for i, item in self._items.items()}
        name = f"workshop-{agg.code.lower()}-totals.csv"
        # Translators: a link to a file; {name} is the file's name (it stays in English).
        words = _("Download the totals ({name})").format(name=name)
        self.download.value = (
            "<p>" + download_link(name, aggregate_csv(agg, statements), words, "text/csv") + "</p>"
        )
        self.show_ok(_("The CSV of the totals is ready to download below."))

    @friendly
    def _on_delete(self, _button=None) -> None:
        if self._need_handle() is None:
            return
        self.totals.confirming(True)
        self.show_error(_("Delete this workshop and every answer to it? This cannot be undone."))

    @friendly
    def _on_cancel(self, _button=None) -> None:
        self.totals.confirming(False)
        self.show_ok(_("The workshop was not deleted."))

    @friendly
    def _on_confirm(self, _button=None) -> None:
        handle = self._need_handle()
        if handle is None:
            return
        self.stop_refresh()
        with self._lock:
            handle.delete()
        self._reset()
        self.show_ok(
            _(
                "Workshop {code} and all its answers are deleted. Its join code no longer works."
            ).format(code=handle.code_text)
        )
