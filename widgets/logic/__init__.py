"""Pure rules and models of the course.

Nothing in this package imports ipywidgets, IPython or anything that draws: the
views in ``widgets/`` are thin classes over these functions, and a test
(``tests/unit/test_architecture.py``) keeps it that way.
"""
