"""The words of the site around a lesson: the course template's header, menus, status
lines and footer, and the messages of its scripts (``course.js``, the front end). They
are translated with the widgets' catalog like any other text, and reach a page as
``resources.course.sites[language].text`` (the template) and as a JSON block the
scripts read (``window.courseText``)."""

from __future__ import annotations

from . import N_, _, speaking

SITE_TEXT = {
    "skip": N_("Skip to the lesson"),
    "lessons": N_("Lessons"),
    "all_lessons": N_("All lessons"),
    "home": N_("Course home"),
    # Translators: after a lesson's length in the menu, e.g. "15 min"
    "minutes": N_("{minutes} min"),
    "coming_soon": N_("{number}. {title} (coming soon)"),
    "prev_next": N_("Previous and next lesson"),
    "previous": N_("← Previous: {title}"),
    "next": N_("Next: {title} →"),
    "back_home": N_("Back to the course home →"),
    "language": N_("Language"),
    "getting_ready": N_("Getting the interactive parts of this page ready…"),
    "tool_pending": N_("Getting this tool ready…"),
    "progress_title": N_("Your progress"),
    "progress_empty": N_("Your progress shows here once you start a lesson."),
    "progress_forget": N_("Forget my progress"),
    "progress_privacy": N_(
        "Progress is kept only in this browser, on this device. It is never sent to the "
        "course server."
    ),
    "progress_none": N_("You have not started a lesson in this browser yet."),
    "progress_forgotten": N_("Your progress has been forgotten in this browser."),
    # Translators: one line of the progress list, e.g. "3. Sensitisation: visited"
    "progress_visited": N_("{number}. {title}: visited"),
    "progress_quiz": N_("{line}; quiz {right} of {total} right"),
    "footer": N_("Warning signs, and what to do: {link}."),
    "footer_link": N_("lesson 8, When to worry"),
    "lost_title": N_("This page has lost its connection to the course server."),
    "lost_text": N_(
        "Buttons and quizzes on this page will not respond until it is reloaded. "
        "Your progress saved in this browser is kept."
    ),
    "reload": N_("Reload the page"),
    "front_end_failed": N_(
        "The interactive parts of this page could not be loaded. Reloading the page "
        "usually helps; the lesson's text is all here."
    ),
    # Translators: the browser tab's title of a lesson shown as slides
    "slides_title": N_("{title} (slides)"),
    "slides": N_("Slides"),
    "tool_failed": N_(
        "This tool could not be shown. Reloading the page usually helps; the rest of the "
        "lesson works without it."
    ),
}


def site_text(language: str) -> dict[str, str]:
    """Every text of the site in ``language`` (English where one has no translation)."""
    with speaking(language):
        return {key: _(text) for key, text in SITE_TEXT.items()}
