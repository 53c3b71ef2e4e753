"""The nbconvert preprocessor behind the ``course-slides`` Voila template.

``share/jupyter/voila/templates/course-slides/conf.json`` names
``widgets.slides.HeadingSlides``; Voila runs it on each lesson before the reveal
preprocessor, so every ``#``/``##`` heading of a lesson starts a slide without
any slide metadata in the notebooks. Open a lesson as slides with
``/voila/render/<lesson>.ipynb?template=course-slides``.

The few words the slides add (a chart's title) are in the lesson's language: a
translated notebook says it in its ``course_language`` metadata (English when absent).
"""

from __future__ import annotations

import nbformat
from nbconvert.preprocessors import Preprocessor

from . import i18n
from .logic.slides import heading_slides


def _language(nb) -> str:
    """The notebook's language, or English when it names none the course has."""
    code = (nb.get("metadata") or {}).get("course_language")
    if isinstance(code, str) and i18n.CODE.match(code):
        if (i18n.LOCALE_DIR / code / "language.yaml").is_file():
            return code
    return i18n.SOURCE


class HeadingSlides(Preprocessor):
    """Mark a new slide at every ``#`` and ``##`` heading (see ``widgets.logic.slides``)."""

    def preprocess(self, nb, resources):
        nb = nb.copy()
        with i18n.speaking(_language(nb)):
            nb.cells = [nbformat.from_dict(cell) for cell in heading_slides(nb.cells)]
        return nb, resources
