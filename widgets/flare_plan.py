"""Flare plan builder (lesson 7; reused in lesson 14's "My plan").

One of the written-plan builders of ``widgets.written_plan``; this name is what lesson 7
imports. Driven from code as a learner would::

    builder = FlarePlanBuilder()
    builder.fill(helps="A warm shower", contacts="My physio")
    builder.make_button.click()
    builder.status_text     # "Your flare plan is ready ..."
    builder.result_text     # the plan as the learner reads it
"""

from __future__ import annotations

from .written_plan import FlarePlanBuilder

__all__ = ["FlarePlanBuilder"]
