"""Caches a kernel fills on first use, filled once in the template instead.

Name a function here in a kernelspec's ``preload`` list as ``module:function``, after the
modules it uses; the template calls it once, and every kernel forked afterwards shares
what it filled (copy-on-write, like the imported modules).
"""

from __future__ import annotations


def ipython() -> None:
    """IPython tokenizes every cell it runs (its input transformer), and the first time,
    CPython 3.11's ``tokenize`` compiles its token pattern: about 3 ms of CPU in each
    kernel, 5 % of one whose page has a single small cell (30 at once, 2 cores). Run on
    a cell here, in the template, the compiled pattern is ready in every kernel. (From
    Python 3.12 ``tokenize`` uses the interpreter's own tokenizer and compiles nothing;
    this then costs the template a few milliseconds once and saves nothing.) Preload
    ``ipykernel.kernelapp`` (which imports IPython) first. It starts no thread and makes
    no event loop, as everything a template runs must (see ``template.py``)."""
    from IPython.core.inputtransformer2 import TransformerManager

    TransformerManager().transform_cell("x = 1\n")
