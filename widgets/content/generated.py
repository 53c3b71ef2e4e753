"""Keep the texts the lessons share in step with ``data/``: the warning signs from
``data/red_flags.yaml`` and the JupyterLab hint from ``data/course.yaml``.

A lesson's Markdown carries each such text between two markers::

    <!-- begin: red_flags.yaml KEY -->
    (made from data/red_flags.yaml; do not edit by hand)
    <!-- end: red_flags.yaml -->

where KEY is one of ``widgets.logic.warning_signs.KEYS`` (or, for ``course.yaml``,
``lab_hint``: a paragraph of class ``course-lab-hint``, which the course's Voila
templates and the handouts hide, so only JupyterLab shows it; or ``crisis``: where to
turn in a crisis, with its sources). The text stays in the
Markdown, so a page shows it before (and without) its kernel, JupyterLab shows it
unrun, and handouts print it. ``python -m widgets.content.generated`` (``make
sync``) rewrites every region from the data; ``stale()`` lists the regions that
differ, which a content test keeps at none.
"""

from __future__ import annotations

import html
import json
import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import i18n
from ..i18n import _
from ..logic import warning_signs
from .base import NOTEBOOKS_DIR
from .course import load_content
from .red_flags import load_red_flags

REGION = re.compile(
    r"(<!-- begin: (?P<file>red_flags|course)\.yaml (?P<key>[a-z_]+) -->\n)(?P<body>.*?)"
    r"(\n?<!-- end: (?P=file)\.yaml -->)",
    re.S,
)
LAB_HINT_CLASS = "course-lab-hint"


@dataclass(frozen=True)
class Region:
    notebook: Path
    cell: int
    key: str
    body: str
    file: str = "red_flags"


def notebooks(root: Path = NOTEBOOKS_DIR) -> list[Path]:
    return sorted(p for p in root.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def language_of(notebook: Path, root: Path = NOTEBOOKS_DIR) -> str:
    """A notebook's language: that of its folder (``notebooks/es/...``), else English."""
    try:
        first = notebook.resolve().relative_to(root.resolve()).parts[0]
    except ValueError:
        return i18n.SOURCE
    return first if (i18n.LOCALE_DIR / first / "language.yaml").is_file() else i18n.SOURCE


def expected(key: str, notebook: Path, root: Path = NOTEBOOKS_DIR, file: str = "red_flags") -> str:
    """What the region ``key`` (of ``data/<file>.yaml``) must hold in ``notebook``, in
    the notebook's language."""
    with i18n.speaking(language_of(notebook, root)):
        return _expected(key, notebook, root, file)


def _expected(key: str, notebook: Path, root: Path, file: str) -> str:
    content = load_content()
    if file == "course":
        if key == "crisis":
            cites = warning_signs.cites_markdown(content.course.crisis_sources, content.references)
            in_crisis = _("If you are in crisis.")
            return f"**{in_crisis}** {content.course.crisis} {cites}"
        if key != "lab_hint":
            raise ValueError(f"unknown course.yaml text {key!r}; known: lab_hint, crisis")
        return f'<p class="{LAB_HINT_CLASS}">{html.escape(content.course.lab_hint)}</p>'
    lesson_8 = (
        root / language_of(notebook, root) if language_of(notebook, root) != i18n.SOURCE else root
    )
    href = os.path.relpath(lesson_8 / warning_signs.LESSON_8_FILE, notebook.parent)
    return warning_signs.markdown(
        key,
        load_red_flags(),
        content.references,
        disclaimer=content.course.disclaimer,
        lesson_8_href=Path(href).as_posix(),
    )


def regions(notebook: Path) -> list[Region]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    found = []
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "markdown":
            for match in REGION.finditer("".join(cell["source"])):
                found.append(Region(notebook, index, match["key"], match["body"], match["file"]))
    return found


def stale(root: Path = NOTEBOOKS_DIR) -> list[Region]:
    """Regions whose text differs from what the data gives (should be none)."""
    return [
        region
        for nb in notebooks(root)
        for region in regions(nb)
        if region.body != expected(region.key, nb, root, region.file)
    ]


def filled(text: str, notebook: Path, root: Path = NOTEBOOKS_DIR) -> str:
    """One Markdown cell of ``notebook`` with every region made from the data."""
    return REGION.sub(
        lambda m: (
            m.group(1)
            + expected(m["key"], notebook, root, m["file"])
            + f"\n<!-- end: {m['file']}.yaml -->"
        ),
        text,
    )


def fill(doc: dict, notebook: Path, root: Path = NOTEBOOKS_DIR) -> bool:
    """Make every region of a notebook's document (``doc``, changed in place) from the
    data; returns whether anything changed."""
    touched = False
    for cell in doc["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        old = "".join(cell["source"])
        new = filled(old, notebook, root)
        if new != old:
            cell["source"] = new.splitlines(keepends=True)
            touched = True
    return touched


def sync(root: Path = NOTEBOOKS_DIR, only: list[Path] | None = None) -> list[Path]:
    """Rewrite every region from the data (in ``only``'s notebooks, if given); returns
    the notebooks that changed."""
    changed = []
    wanted = {path.resolve() for path in only} if only else None
    for nb in notebooks(root):
        if wanted is not None and nb.resolve() not in wanted:
            continue
        doc = json.loads(nb.read_text(encoding="utf-8"))
        if fill(doc, nb, root):
            nb.write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
            changed.append(nb)
    return changed


def main(argv: list[str] | None = None) -> int:
    """``python -m widgets.content.generated [NOTEBOOK ...]``: all notebooks, or those named."""
    named = [Path(arg) for arg in (sys.argv[1:] if argv is None else argv)]
    changed = sync(only=named or None)
    for nb in changed:
        print(f"updated {nb.relative_to(NOTEBOOKS_DIR.parent)}")
    print(f"shared texts are in step with data/ ({len(changed)} changed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
