"""The floor of a page (bench.floor): the empty page it serves and its report (pure)."""

from __future__ import annotations

import json

import nbformat

from bench.floor import floor_notebook, report
from bench.servers import NOTEBOOKS


def test_the_empty_page_is_a_valid_notebook_with_one_code_cell_on_the_lessons_kernel():
    lesson = json.loads((NOTEBOOKS / "01-what-is-chronic-back-pain.ipynb").read_text())
    page = floor_notebook(lesson)
    nbformat.validate(nbformat.from_dict(page))
    code = [c for c in page["cells"] if c["cell_type"] == "code"]
    assert [c["source"] for c in code] == ["x = 1"]
    assert page["metadata"]["kernelspec"] == lesson["metadata"]["kernelspec"]


def test_the_report_gives_each_figure_as_its_range_over_the_rounds():
    run = {"render_p95_s": 1.7, "server_cpu_s": 0.04, "kernel_cpu_s": 0.06, "kernel_pss_mb": 19.0}
    slower = {**run, "render_p95_s": 2.0, "kernel_cpu_s": 0.07}
    text = report({"empty": [run, slower], "lesson": [run]}, visitors=30)
    assert "| page | render p95, 30 at once |" in text
    assert "| empty | 1.70–2.00 s | 0.040 s | 0.060–0.070 s | 0.100–0.110 s | 19.0 MB |" in text
    assert "| lesson | 1.70 s | 0.040 s | 0.060 s | 0.100 s | 19.0 MB |" in text
