"""The course in more than one language: which language this process speaks, and the
widgets' own words in it.

A page's kernel speaks one language, set once by the page's first code cell
(``use_language("es")``, which the translated notebooks carry; English needs none).
Everything a learner reads then comes in that language:

* the widgets' labels and messages, through ``_()`` (gettext's name), looked up
  when they are shown, never when a module is imported (a kernel forked from a warm
  template imported the modules before it knew its language; ``N_()`` marks a text
  that is kept in a constant and translated where it is used);
* the content of ``data/`` (questions, myths, warning signs...), which
  ``widgets.content`` reads in the language, translated when it is validated;
* the lessons' prose, which is in the translated notebooks themselves
  (``notebooks/<language>/``, made by ``python -m widgets.i18n build``).

Translators never edit Python or notebook JSON: every translation is a gettext
catalog under ``locale/<language>/`` (see ``widgets.i18n.catalogs`` and the README's
"Adding a language"). English is the source; a text with no translation is shown in
English, and the content tests fail for a shipped language until it has one.

This module is what a visitor's kernel imports: it needs neither Babel nor the
catalogs themselves, only the validated content snapshot (``widgets.content``), in
which the widgets' catalog is saved with the rest of the language's content.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from pathlib import Path

SOURCE = "en"  # the language the course is written in
LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
CODE = re.compile(r"^[a-z]{2,3}$")

_language = SOURCE


def use_language(code: str) -> None:
    """Make ``code`` (``"en"``, ``"es"``...) the language of everything this process shows."""
    global _language
    if not CODE.match(code):
        raise ValueError(f"not a language code: {code!r} (two or three letters, e.g. 'es')")
    if not (LOCALE_DIR / code / "language.yaml").is_file():
        raise ValueError(f"the course has no {code!r} translation (no locale/{code}/language.yaml)")
    _language = code


def current() -> str:
    """The language this process speaks (and ``widgets.content`` reads ``data/`` in)."""
    return _language


@contextlib.contextmanager
def speaking(code: str) -> Iterator[None]:
    """Speak ``code`` inside this block only (e.g. to make one language's files)."""
    global _language
    before = _language
    use_language(code)
    try:
        yield
    finally:
        _language = before


def N_(message: str) -> str:
    """Mark ``message`` for translation where it is defined; ``_()`` translates it where
    it is shown."""
    return message


def messages(language: str | None = None) -> dict:
    """The widgets' catalog in ``language`` (default: the current one): English text →
    translation; a plural's key is the (singular, plural) pair, its value a tuple."""
    language = language or _language
    if language == SOURCE:
        return {}
    from ..content.registry import validated

    return validated("messages", language)


def gettext(message: str) -> str:
    """``message`` in the current language (English when it has no translation)."""
    if _language == SOURCE:
        return message
    return messages().get(message) or message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n``, in the current language."""
    if _language != SOURCE:
        forms = messages().get((singular, plural))
        if forms:
            return forms[plural_index(_language, n)]
    return singular if n == 1 else plural


def plural_index(language: str, n: int) -> int:
    """Which plural form ``n`` takes in ``language``: gettext's plural expression from
    ``locale/<language>/language.yaml`` (English and Spanish: ``n != 1``)."""
    import gettext as _gettext

    return int(_gettext.c2py(conventions(language)["plural"])(n))


_ = gettext


def conventions(language: str | None = None) -> dict:
    """How ``language`` writes numbers and dates, and its own name
    (``locale/<language>/language.yaml``, saved in the content snapshot)."""
    from ..content.registry import validated

    return validated("language", language or _language)


def number(value: float, digits: int = 0) -> str:
    """A number as the current language writes it (Spanish: a decimal comma, and a space
    between thousands from five digits on)."""
    style = conventions()
    whole, _sep, frac = f"{abs(value):.{digits}f}".partition(".")
    if len(whole) >= style["group_from"]:
        whole = f"{int(whole):,}".replace(",", style["group"])
    sign = "-" if value < 0 and float(f"{abs(value):.{digits}f}") else ""
    return sign + whole + (style["decimal"] + frac if frac else "")


MONTHS = (
    # Translators: the months, in a date written in words ("5 March 2025").
    N_("January"),
    N_("February"),
    N_("March"),
    N_("April"),
    N_("May"),
    N_("June"),
    N_("July"),
    N_("August"),
    N_("September"),
    N_("October"),
    N_("November"),
    N_("December"),
)


def date_words(day) -> str:
    """A date (``datetime.date``) in words, e.g. "5 March 2025" (Spanish: "5 de marzo de 2025")."""
    # Translators: a date, e.g. "5 March 2025"; {month} is the month's name, translated.
    return _("{day} {month} {year}").format(
        day=day.day, month=_(MONTHS[day.month - 1]), year=day.year
    )


def preferred(accept_language: str, offered: list[str]) -> str:
    """The language to greet a browser in: the first of its ``Accept-Language`` header
    (by quality, then order) that the course offers; English when none is."""
    asked = []
    for order, item in enumerate(accept_language.split(",")):
        tag, _sep, params = item.strip().partition(";")
        quality = 1.0
        for param in params.split(";"):
            key, _eq, value = param.strip().partition("=")
            if key == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        code = tag.strip().lower().split("-")[0]
        if code and quality > 0:
            asked.append((-quality, order, code))
    for _q, _order, code in sorted(asked):
        if code in offered:
            return code
    return SOURCE
