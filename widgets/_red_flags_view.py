"""The red-flag checker's view (lesson 08). Import it as ``widgets.red_flags.RedFlagChecker``.

Safety-critical: read ``docs/clinical-safety.md`` before changing anything here.

Driven from code as a learner drives it in the page::

    checker = RedFlagChecker()
    checker.boxes["saddle_numbness"].value = True   # tick
    checker.result_text                             # what the result box says
    checker.clear_button.click()                    # untick everything

Privacy: the checker never writes what is ticked to disk, to a log, or to the
network; the answers live only in the page and its own kernel, and are gone
when the page closes. It logs nothing; if a callback fails, ``friendly`` logs
only the error's type and the method's name, never a value.
"""

from __future__ import annotations

import html
import re

import ipywidgets as ipw

from ._live import LiveRegion
from ._safe import friendly
from ._view import View, look, shared, shared_style
from .content import Content, load_content
from .content.red_flags import RedFlag, RedFlagRules, assess, fail_safe_text, load_red_flags
from .i18n import N_, _, ngettext
from .logic.citations import short_cite_links
from .logic.red_flags import Assessment
from .logic.text import plain_text as _plain

# The rules are read when a checker is made, never here: a kernel imports this module
# before it knows its language, and the rules' words are in that language.


def __getattr__(name: str):
    if name == "_RULES":  # the rules in the language spoken now (tests compare with them)
        return load_red_flags()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


# ------------------------------------------------------------------------- the widget

# The mark under a ticked question: its level, and a link that jumps to the advice (on a
# phone the advice is a long scroll below the question just ticked). {start} and {end}
# wrap the words of the link.
RESULT_ANCHOR = "course-red-flags-what-to-do"
_MARKS = {
    # Translators: under a ticked emergency sign in the red-flag checker; {start} and
    # {end} wrap the link to the advice, which is below the questions.
    "emergency": N_("Emergency sign. {start}See what to do now{end}, below the questions."),
    # Translators: under a ticked urgent sign; {start} and {end} wrap the link to the advice.
    "urgent": N_("Urgent sign. {start}See what to do{end}, below the questions."),
    # Translators: under a ticked sign that needs a GP (family doctor) visit soon; {start}
    # and {end} wrap the link to the advice.
    "soon": N_("Worth a GP visit. {start}See what to do{end}, below the questions."),
}
_ICONS = {"emergency": "⚠", "urgent": "⚠", "soon": "ℹ", "none": "ℹ", "error": "⚠"}


class RedFlagChecker(View):
    """Yes/no questions about warning signs, with advice that updates as you tick.

    The questions come in groups, one per level (emergency, urgent, soon), each under
    its level's intro from the data, so a learner sees how soon each sign needs help.

    Parameters
    ----------
    rules : RedFlagRules, optional
        The flags and advice (default: ``data/red_flags.yaml``).
    content : Content, optional
        Where the notice and the sources come from (default: ``load_content()``).

    Attributes
    ----------
    boxes : dict of str to ipw.Checkbox
        One checkbox per flag id; its description is the flag's question.
    why : dict of str to ipw.HTML
        "Why this matters", opened on demand (an HTML ``<details>``).
    alert : LiveRegion
        The result when it is an emergency (``urgent=True``: role="alert").
    status : LiveRegion
        The result otherwise (role="status"), and the "none" result at the start.
    clear_button : ipw.Button
        "Clear all answers".
    """

    def __init__(self, rules: RedFlagRules | None = None, content: Content | None = None, **kwargs):
        self._rules = rules or load_red_flags()
        self._content = content or load_content()
        self._holding = False
        # Layouts and styles that never change are shared (widgets._view.shared): the
        # checker made about 100 models of them. A mark's layout is its own (shown,
        # hidden).
        html_look = look(ipw.HTML)
        notice = ipw.HTML(
            self._notice_html(), _dom_classes=("course-red-flags__intro",), **html_look
        )
        self.boxes: dict[str, ipw.Checkbox] = {}
        self.marks: dict[str, ipw.HTML] = {}
        self.why: dict[str, ipw.HTML] = {}
        items = []
        level = None
        for flag in self._rules.flags:
            if flag.level != level:
                level = flag.level
                group = ipw.HTML(
                    f'<h3 class="course-red-flags__group">'
                    f"{html.escape(self._rules.advice[level].intro)}</h3>",
                    **html_look,
                )
                items.append(group)
            box = ipw.Checkbox(
                value=False,
                description=flag.question,
                indent=False,
                layout=shared(ipw.Layout, width="auto", max_width="100%"),
                style=shared_style(ipw.Checkbox),
                _dom_classes=("course-red-flags__box",),
            )
            box.observe(self._on_change, names="value")
            mark = ipw.HTML("", layout=ipw.Layout(display="none"), style=shared_style(ipw.HTML))
            why = ipw.HTML(self._why_html(flag), **html_look)
            self.boxes[flag.id], self.marks[flag.id], self.why[flag.id] = box, mark, why
            item = ipw.VBox(
                [box, mark, why],
                layout=shared(ipw.Layout, max_width="100%"),
                _dom_classes=("course-red-flags__item",),
            )
            items.append(item)
        self.alert = LiveRegion(urgent=True)
        self.alert.add_class("course-red-flags__alert")
        self.status = LiveRegion()
        self.status.add_class("course-red-flags__status")
        self.sources_line = ipw.HTML("", **html_look)
        self.clear_button = ipw.Button(
            # Translators: the red-flag checker's button that unticks every box.
            description=_("Clear all answers"),
            tooltip=_("Untick every box and start again"),
            layout=ipw.Layout(width="auto"),
        )
        self.clear_button.add_class("course-red-flags__clear")
        self.clear_button.on_click(self._on_clear_click)
        buttons = ipw.HBox([self.clear_button])
        buttons.add_class("course-red-flags__buttons")
        super().__init__(
            [notice, *items, self.alert, self.status, self.sources_line, buttons], **kwargs
        )
        self.add_class("course-red-flags")
        self._update()

    # -- what a learner does, callable from code ---------------------------------------

    def tick(self, *flag_ids: str) -> None:
        """Tick these flags (as clicking their boxes would)."""
        for flag_id in flag_ids:
            self._box(flag_id).value = True

    def untick(self, *flag_ids: str) -> None:
        for flag_id in flag_ids:
            self._box(flag_id).value = False

    def clear(self) -> None:
        """Untick every box (what "Clear all answers" does)."""
        self._holding = True
        try:
            for box in self.boxes.values():
                box.value = False
        finally:
            self._holding = False
        self._update()

    @property
    def ticked(self) -> tuple[str, ...]:
        return tuple(flag_id for flag_id, box in self.boxes.items() if box.value)

    @property
    def result(self) -> Assessment:
        return assess(self.ticked, self._rules)

    @property
    def result_text(self) -> str:
        """The result box as plain text, as a screen reader would read it."""
        return _plain(self.alert.value + " " + self.status.value)

    @property
    def notice_text(self) -> str:
        return _plain(self.children[0].value)

    def show_error(self, message: str) -> None:
        """Say that something went wrong, and fail safe: say what to do about the signs."""
        self.status.value = ""
        self.alert.value = (
            '<div class="course-red-flags__result course-red-flags__result--error">'
            f'<p class="course-red-flags__level"><span aria-hidden="true">{_ICONS["error"]}</span> '
            f"{html.escape(message)}</p>"
            f"<p>{html.escape(fail_safe_text(self._rules))}</p></div>"
        )

    # -- callbacks ----------------------------------------------------------------------

    @friendly
    def _on_change(self, _change=None) -> None:
        if not self._holding:
            self._update()

    @friendly
    def _on_clear_click(self, _button=None) -> None:
        self.clear()

    # -- helpers ------------------------------------------------------------------------

    def _box(self, flag_id: str) -> ipw.Checkbox:
        if flag_id not in self.boxes:
            raise ValueError(f"unknown red flag id {flag_id!r}")
        return self.boxes[flag_id]

    def _update(self) -> None:
        result = self.result
        for flag in self._rules.flags:
            mark = self.marks[flag.id]
            if flag.id in result.flags:
                words = html.escape(_(_MARKS[flag.level])).format(
                    start=f'<a href="#{RESULT_ANCHOR}">', end="</a>"
                )
                mark.value = (
                    f'<p class="course-red-flags__mark course-red-flags__mark--{flag.level}">'
                    f"{words}</p>"
                )
                mark.layout.display = None
            else:
                mark.value = ""
                mark.layout.display = "none"
        markup = self._result_html(result)
        if result.is_emergency:
            self.status.value, self.alert.value = "", markup
        else:
            self.alert.value, self.status.value = "", markup
        # Translators: under the red-flag checker's advice, before the links to its sources.
        follows = _("This advice follows: {links}.").format(
            links=short_cite_links(result.sources, self._content.references)
        )
        self.sources_line.value = f'<p class="course-red-flags__source">{follows}</p>'

    def _result_html(self, result: Assessment) -> str:
        names = [self._rules.flag(flag_id).name for flag_id in result.flags]
        ticked = ""
        if names:
            # Translators: under the checker's advice: how many warning signs were ticked,
            # then their names, separated by semicolons.
            ticked_text = ngettext(
                "You ticked {n} sign: {names}.", "You ticked {n} signs: {names}.", len(names)
            ).format(n=len(names), names="; ".join(names))
            ticked = f"<p>{html.escape(ticked_text)}</p>"
        advice = html.escape(result.advice)
        if result.is_emergency:  # each number a tap away on a phone
            for number in self._rules.numbers:
                advice = re.sub(
                    rf"(?<![\d>]){number.number}(?!\d)",
                    f'<a href="tel:{number.number}">{number.number}</a>',
                    advice,
                )
        return (
            f'<div id="{RESULT_ANCHOR}" '
            f'class="course-red-flags__result course-red-flags__result--{result.level}">'
            f'<p class="course-red-flags__level"><span aria-hidden="true">'
            f"{_ICONS[result.level]}</span> {html.escape(result.heading)}</p>"
            f"<p>{advice}</p>{ticked}</div>"
        )

    def _notice_html(self) -> str:
        disclaimer = html.escape(self._content.course.disclaimer)
        # Translators: the bold words before the course's disclaimer.
        note = html.escape(_("Please note."))
        limits = html.escape(
            _(
                "This checker lists the main warning signs only. It cannot cover every reason "
                "to see a doctor. It does not save your answers or send them anywhere."
            )
        )
        how = html.escape(_("Tick a box if the answer is yes for you now."))
        return (
            '<div class="course-red-flags__notice">'
            f"<p><strong>{note}</strong> {disclaimer}</p>"
            f"<p>{limits}</p></div>"
            f'<p class="course-red-flags__how">{how} '
            f"{html.escape(self._rules.texts.new_means)}</p>"
        )

    def _why_html(self, flag: RedFlag) -> str:
        # Translators: opens the explanation under one warning sign of the red-flag checker.
        why = html.escape(_("Why this matters"))
        # Translators: before the links to the sources of a warning sign, e.g. "Source: NHS 2023"
        source = _("Source: {links}").format(
            links=short_cite_links(flag.sources, self._content.references)
        )
        return (
            f'<details class="course-red-flags__why"><summary>{why}'
            f'<span class="course-red-flags__sr"> ({html.escape(flag.name)})</span></summary>'
            f"<p>{html.escape(flag.why)}</p>"
            f'<p class="course-red-flags__source">{source}</p></details>'
        )
