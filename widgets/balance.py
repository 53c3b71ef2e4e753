"""The danger/safety balance of lesson 4: tick cues, add your own, see which side weighs more.

The view is thin: ``widgets.logic.balance`` weighs, suggests, checks a typed cue
and draws. Nothing is stored; the learner can download their own list. Driven
from code as a learner would drive it::

    balance = SafetyBalance()
    balance.tick("poor-sleep", "worry-damage")
    balance.verdict_text            # "Danger weighs more: 2 danger cues and 0 safety cues. ..."
    balance.own_text.value = "A walk with my dog"
    balance.add_safety_button.click()
    balance.message_text            # "Added to the safety side: A walk with my dog"
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

import ipywidgets as ipw

from ._live import LiveRegion
from ._safe import friendly
from ._view import View, look, shared, shared_style
from .content.cues import Cue, load_cues
from .i18n import _
from .logic import balance as rules
from .logic.download import download_link
from .logic.text import plain_text as _plain

DOWNLOAD_NAME = "my-danger-and-safety-cues.txt"


@dataclass(frozen=True)
class _OwnCue:
    id: str
    side: str
    text: str
    category: None = None


class SafetyBalance(View):
    """Tick danger and safety cues, add your own, and see which side weighs more.

    Parameters
    ----------
    cues : sequence of Cue, optional
        The cues to offer (default: ``load_cues()``, from ``data/cues.yaml``).
    """

    def __init__(self, cues: Sequence[Cue] | None = None, **kwargs):
        self._cues = tuple(cues if cues is not None else load_cues())
        if not self._cues:
            raise ValueError("the balance needs at least one cue")
        self._own: list[_OwnCue] = []
        self.boxes: dict[str, ipw.Checkbox] = {}
        for cue in self._cues:
            self.boxes[cue.id] = self._checkbox(cue.text, False)

        self._danger_own = ipw.VBox([])
        self._safety_own = ipw.VBox([])
        danger = self._column(
            "danger",
            # Translators: the heading of the balance's left column (lesson 4).
            _("Danger cues"),
            _("Signs that can tell your body it may need protecting."),
            self._danger_own,
        )
        safety = self._column(
            "safety",
            # Translators: the heading of the balance's right column (lesson 4).
            _("Safety cues"),
            _("Signs that can tell your body it is safe."),
            self._safety_own,
        )
        columns = ipw.HBox(
            [danger, safety], layout=shared(ipw.Layout), _dom_classes=("course-balance__columns",)
        )

        self.own_text = ipw.Text(
            value="",
            description=_("Your own cue"),
            placeholder=_("For example: a walk with my dog"),
            style=shared_style(ipw.Text, description_width="initial"),
            layout=shared(ipw.Layout, width="100%"),
        )
        self.add_danger_button = ipw.Button(
            # Translators: a button that adds the cue the learner typed to the balance.
            description=_("Add to danger side"),
            tooltip=_("Add your own cue to the danger side"),
            **look(ipw.Button),
        )
        self.add_safety_button = ipw.Button(
            # Translators: a button that adds the cue the learner typed to the balance.
            description=_("Add to safety side"),
            tooltip=_("Add your own cue to the safety side"),
            **look(ipw.Button),
        )
        self.add_danger_button.on_click(self._on_add_danger)
        self.add_safety_button.on_click(self._on_add_safety)
        buttons = ipw.HBox([self.add_danger_button, self.add_safety_button])
        buttons.add_class("course-balance__buttons")
        self.message = LiveRegion()
        self.message.add_class("course-balance__message")
        own_heading = _("Add a cue of your own")
        own_hint = _("Up to {limit} characters: letters, numbers and simple punctuation.").format(
            limit=rules.MAX_CUE_CHARS
        )
        own = ipw.VBox(
            [
                ipw.HTML(
                    f"<h3>{html.escape(own_heading)}</h3><p>{html.escape(own_hint)}</p>",
                    **look(ipw.HTML),
                ),
                self.own_text,
                buttons,
                self.message,
            ]
        )
        own.add_class("course-balance__own")

        self.drawing = ipw.HTML(layout=ipw.Layout(width="100%"))
        self.drawing.add_class("course-balance__drawing")
        self.verdict = LiveRegion()
        self.verdict.add_class("course-balance__verdict")
        note_text = _(
            "Each cue counts the same here. In real life, some "
            "cues weigh much more than others. This is a way to think, not a test."
        )
        note = ipw.HTML(
            f'<p class="course-balance__note">{html.escape(note_text)}</p>', **look(ipw.HTML)
        )
        self.suggestions = ipw.HTML()
        self.suggestions.add_class("course-balance__suggestions")
        self.download = ipw.HTML()
        self.download.add_class("course-balance__download")

        # The drawing sits right under the cues, so it moves where the learner is ticking;
        # the suggestions lead on to adding a cue of your own; the download comes last.
        super().__init__(
            [columns, self.drawing, self.verdict, note, self.suggestions, own, self.download],
            **kwargs,
        )
        self.add_class("course-balance")
        self._refresh()

    # -- building -----------------------------------------------------------------------

    def _checkbox(self, text: str, value: bool) -> ipw.Checkbox:
        box = ipw.Checkbox(
            value=value,
            description=text,
            indent=False,
            layout=shared(ipw.Layout, width="auto"),
            style=shared_style(ipw.Checkbox),
        )
        box.observe(self._on_tick, names="value")
        return box

    def _column(self, side: str, title: str, hint: str, own_box: ipw.VBox) -> ipw.VBox:
        boxes = [self.boxes[c.id] for c in self._cues if c.side == side]
        heading = ipw.HTML(
            f"<h3>{html.escape(title)}</h3><p>{html.escape(hint)}</p>", **look(ipw.HTML)
        )
        column = ipw.VBox(
            [heading, *boxes, own_box],
            layout=shared(ipw.Layout),
            _dom_classes=("course-balance__column", f"course-balance__column--{side}"),
        )
        return column

    # -- what a learner does, callable from code ----------------------------------------

    def tick(self, *cue_ids: str) -> None:
        """Tick cues by id (a cue of the list, or one of your own: ``own-1``, ...)."""
        for cue_id in cue_ids:
            self._box(cue_id).value = True

    def untick(self, *cue_ids: str) -> None:
        for cue_id in cue_ids:
            self._box(cue_id).value = False

    def checkbox(self, cue_id: str) -> ipw.Checkbox:
        return self._box(cue_id)

    @property
    def ticked(self) -> tuple[str, ...]:
        """Ids of the ticked cues, list cues first, then your own, in order."""
        return tuple(i for i, box in self.boxes.items() if box.value)

    @property
    def weighing(self) -> rules.Weighing:
        return rules.weigh(self._side(i) for i in self.ticked)

    @property
    def verdict_text(self) -> str:
        return _plain(self.verdict.value)

    @property
    def message_text(self) -> str:
        return _plain(self.message.value)

    @property
    def suggestions_text(self) -> str:
        return _plain(self.suggestions.value)

    @property
    def own_cues(self) -> tuple[tuple[str, str], ...]:
        """Your own cues as (side, text)."""
        return tuple((c.side, c.text) for c in self._own)

    def show_error(self, message: str) -> None:
        self.message.value = f'<p class="course-balance__error">{html.escape(message)}</p>'

    # -- callbacks ----------------------------------------------------------------------

    @friendly
    def _on_tick(self, _change=None) -> None:
        self._refresh()

    @friendly
    def _on_add_danger(self, _button=None) -> None:
        self._add("danger")

    @friendly
    def _on_add_safety(self, _button=None) -> None:
        self._add("safety")

    # -- helpers ------------------------------------------------------------------------

    def _box(self, cue_id: str) -> ipw.Checkbox:
        if cue_id not in self.boxes:
            raise KeyError(f"no cue {cue_id!r} on the balance")
        return self.boxes[cue_id]

    def _side(self, cue_id: str) -> str:
        for cue in (*self._cues, *self._own):
            if cue.id == cue_id:
                return cue.side
        raise KeyError(cue_id)

    def _text(self, cue_id: str) -> str:
        for cue in (*self._cues, *self._own):
            if cue.id == cue_id:
                return cue.text
        raise KeyError(cue_id)

    def _add(self, side: str) -> None:
        existing = [c.text for c in (*self._cues, *self._own)]
        try:
            text = rules.clean_own_cue(self.own_text.value, existing, len(self._own))
        except rules.CueError as exc:
            self.show_error(str(exc))
            return
        cue = _OwnCue(id=f"own-{len(self._own) + 1}", side=side, text=text)
        self._own.append(cue)
        # Translators: a cue the learner added to the balance, as its tick box shows it.
        box = self._checkbox(_("{cue} (my own)").format(cue=text), False)
        self.boxes[cue.id] = box
        target = self._danger_own if side == "danger" else self._safety_own
        target.children = (*target.children, box)
        box.value = True  # ticked at once; this also redraws the balance
        self.own_text.value = ""
        if side == "danger":
            added = _("Added to the danger side and ticked: {cue}").format(cue=text)
        else:
            added = _("Added to the safety side and ticked: {cue}").format(cue=text)
        self.message.value = f"<p>{html.escape(added)}</p>"

    def _refresh(self) -> None:
        ticked = self.ticked
        weighing = rules.weigh(self._side(i) for i in ticked)
        self.drawing.value = rules.balance_svg(weighing)
        lead, rest = weighing.verdict()
        verdict = f"<p><strong>{html.escape(lead)}</strong> {html.escape(rest)}</p>"
        if self.verdict.value != verdict:
            self.verdict.value = verdict
        suggestions = rules.suggest_safety(self._cues, ticked)
        self.suggestions.value = self._suggestions_html(weighing, suggestions)
        danger = [self._text(i) for i in ticked if self._side(i) == "danger"]
        safety = [self._text(i) for i in ticked if self._side(i) == "safety"]
        content = rules.cue_list_text(danger, safety, weighing, suggestions)
        # Translators: a link that saves the learner's list of cues as a text file.
        link = download_link(DOWNLOAD_NAME, content, _("Download my list (text file)"))
        stays = _("Your list stays on your device: the course does not store it.")
        self.download.value = f"<p>{link} {html.escape(stays)}</p>"

    @staticmethod
    def _suggestions_html(weighing: rules.Weighing, suggestions: Sequence[rules.Suggestion]) -> str:
        heading = _("Safety cues to notice or add")
        title = f"<h3>{html.escape(heading)}</h3>"
        if weighing.heavier == "empty":
            first = _("Tick some cues first, and ideas will appear here.")
            return f"{title}<p>{html.escape(first)}</p>"
        if not suggestions:
            every = _(
                "You have ticked every safety cue on the list. You could add one of your own."
            )
            return f"{title}<p>{html.escape(every)}</p>"
        items = "".join(
            f"<li><strong>{html.escape(s.text)}.</strong> {html.escape(s.reason)}</li>"
            if s.reason
            else f"<li>{html.escape(s.text)}.</li>"
            for s in suggestions
        )
        question = _("Could any of these be true for you, or could you add one this week?")
        return f"{title}<p>{html.escape(question)}</p><ul>{items}</ul>"
