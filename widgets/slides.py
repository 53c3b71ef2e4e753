"""The nbconvert preprocessor behind the ``course-slides`` Voila template.

``share/jupyter/voila/templates/course-slides/conf.json`` names
``widgets.slides.HeadingSlides``; Voila runs it on each lesson before the reveal
preprocessor, so every ``#``/``##`` heading of a lesson starts a slide without
any slide metadata in the notebooks. Open a lesson as slides with
``/voila/render/<lesson>.ipynb?template=course-slides``.
"""

from __future__ import annotations

import nbformat
from nbconvert.preprocessors import Preprocessor

from .logic.slides import heading_slides


class HeadingSlides(Preprocessor):
    """Mark a new slide at every ``#`` and ``##`` heading (see ``widgets.logic.slides``)."""

    def preprocess(self, nb, resources):
        nb = nb.copy()
        nb.cells = [nbformat.from_dict(cell) for cell in heading_slides(nb.cells)]
        return nb, resources
