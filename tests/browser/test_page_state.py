"""The widgets' state written into the page (widgets.server.page_state, issue 20): the
tools are drawn before the kernel has answered, a learner's answer given meanwhile
reaches the kernel once it does, and what the kernel changed after the page was made is
shown once it answers. A page made once (widgets.server.prepared) whose kernel holds just
what the page was drawn from says so, and its front end asks the kernel for nothing; the
tests of the catch-up take that mark off, to stand for a page run for its visitor."""

from __future__ import annotations

import json
import re

from playwright.sync_api import expect

from tests.browser.conftest import answer_lesson_01_first_question, frames_sent, wait_for_lesson

LESSON_01 = "/voila/render/01-what-is-chronic-back-pain.ipynb"
LESSON_03 = "/voila/render/03-sensitisation.ipynb"
STATE = "script#course-widget-state"
# An init script's line: the page is treated as one whose kernel may differ from it.
NOT_HELD = 'document.getElementById("course-widget-state").removeAttribute("data-course-held");'


class SlowDownlink:
    """A kernel websocket whose messages to the page are held back until released (as on
    a slow network); what the page sends goes through at once."""

    def __init__(self):
        self.page_side = None
        self.held: list = []
        self.released = False

    def route(self, ws) -> None:
        self.page_side = ws
        ws.connect_to_server().on_message(self._from_kernel)

    def _from_kernel(self, message) -> None:
        if self.released:
            self.page_side.send(message)
        else:
            self.held.append(message)

    def release(self) -> None:
        self.released = True
        for message in self.held:
            self.page_side.send(message)


def test_every_tool_is_drawn_before_the_kernel_answers_and_works_once_it_does(page, voila):
    pg = page.page
    downlink = SlowDownlink()
    pg.route_web_socket(re.compile(r".*/api/kernels/.*/channels.*"), downlink.route)
    pg.goto(voila.url + LESSON_01)
    wait_for_lesson(pg)  # every tool drawn, from the page's own copy of their state
    assert downlink.page_side is not None, "the page did not ask for its kernel's websocket"
    assert not pg.evaluate("() => performance.getEntriesByName('course-widgets:caught-up').length")
    assert json.loads(pg.locator(STATE).text_content())["state"]
    card = pg.locator(".course-quiz__card").first
    expect(card.get_by_role("radio", name="When it has lasted more than 3 months")).to_be_visible()
    assert pg.locator(".course-widget-error").count() == 0

    # The learner answers while the kernel's messages are held; it answers once they flow.
    card.get_by_role("radio", name="When it has lasted more than 3 months").check()
    card.get_by_role("button", name="Check answer").click()
    downlink.release()
    expect(card.get_by_role("status")).to_contain_text("Right.")


def test_what_the_kernel_changed_after_the_page_was_made_is_shown(page, voila):
    """The page's copy of a tool's headline is made stale before the front end reads it
    (as a timer in the kernel would have moved it): once the kernel answers, the
    kernel's own value replaces it."""
    pg = page.page
    pg.add_init_script(
        """document.addEventListener("DOMContentLoaded", () => {
             const script = document.getElementById("course-widget-state");
             script.removeAttribute("data-course-held");
             const doc = JSON.parse(script.textContent);
             for (const entry of Object.values(doc.state)) {
               const value = entry.state.value;
               if (typeof value === "string" && value.includes("It starts to ring at")) {
                 entry.state.value = "<p>STALE HEADLINE</p>";
               }
             }
             script.textContent = JSON.stringify(doc);
           });"""
    )
    pg.goto(voila.url + LESSON_03)
    wait_for_lesson(pg)
    headline = pg.locator(".course-alarm").get_by_role("status").first
    expect(headline).to_contain_text("It starts to ring at")
    expect(headline).not_to_contain_text("STALE")


def test_a_page_without_its_copy_of_the_state_asks_the_kernel(page, voila):
    """The front end before this change, still there for a page whose state could not
    be written: it waits for the kernel's states, then draws."""
    pg = page.page
    pg.add_init_script(
        """document.addEventListener("DOMContentLoaded", () => {
             document.getElementById("course-widget-state").remove();
           });"""
    )
    pg.goto(voila.url + LESSON_01)
    wait_for_lesson(pg)
    assert pg.locator(STATE).count() == 0
    answer_lesson_01_first_question(pg)


def test_a_tool_the_kernel_no_longer_has_says_so_once_the_kernel_answers(page, voila):
    """The page's copy has a tool the kernel closed after its cell ran (nbclient's record
    does not see a widget closed): drawn at first, then its place says it cannot be shown."""
    pg = page.page
    pg.add_init_script(
        """document.addEventListener("DOMContentLoaded", () => {
             const out = [...document.querySelectorAll(
               'script[type="application/vnd.voila.cell-output+json"]')]
               .find(s => s.textContent.includes("widget-view+json"));
             const id = /"model_id": "([0-9a-f]+)"/.exec(out.textContent)[1];
             out.textContent = out.textContent.replace(id, "f".repeat(32));
             const script = document.getElementById("course-widget-state");
             script.removeAttribute("data-course-held");
             const doc = JSON.parse(script.textContent);
             doc.state["f".repeat(32)] = doc.state[id];
             script.textContent = JSON.stringify(doc);
           });"""
    )
    pg.goto(voila.url + LESSON_03)
    wait_for_lesson(pg)
    alert = pg.locator("#course-main .course-widget-error")
    expect(alert).to_have_count(1)
    expect(alert).to_have_text(
        "This tool could not be shown. Reloading the page usually helps; "
        "the rest of the lesson works without it."
    )
    quiz = pg.locator(".course-quiz__card").first
    quiz.get_by_role("radio").first.check()
    quiz.get_by_role("button", name="Check answer").click()
    expect(quiz.get_by_role("status")).not_to_be_empty()


def test_what_a_learner_changes_before_the_kernel_answers_is_kept(page, voila):
    """Slider moves made while the kernel's messages are held reach the kernel once they
    flow; its catch-up does not move the slider back, and the kernel's own text agrees."""
    pg = page.page
    pg.add_init_script(f'document.addEventListener("DOMContentLoaded", () => {{ {NOT_HELD} }});')
    downlink = SlowDownlink()
    pg.route_web_socket(re.compile(r".*/api/kernels/.*/channels.*"), downlink.route)
    pg.goto(voila.url + LESSON_03)
    wait_for_lesson(pg)
    worry = pg.get_by_role("slider", name=re.compile(r"^Worry"))
    worry.focus()
    for _ in range(8):
        pg.keyboard.press("ArrowRight")
    moved = worry.get_attribute("aria-valuetext")
    downlink.release()
    pg.wait_for_function(
        "() => performance.getEntriesByName('course-widgets:caught-up').length === 1"
    )
    alarm = pg.locator(".course-alarm")
    expect(alarm.get_by_role("status").first).not_to_contain_text("It starts to ring at 4.3")
    expect(worry).to_have_attribute("aria-valuetext", moved)


def test_a_page_made_once_asks_its_kernel_for_nothing_and_works(page, voila):
    """The second visitor of a lesson gets the page made once, marked as held: the front end
    sends its kernel no request for the widgets' states, and the quiz still answers."""
    pg = page.page
    for _ in range(2):  # (the first visit, in this or an earlier test, makes the page)
        sent = frames_sent(pg)
        pg.goto(voila.url + LESSON_01)
        wait_for_lesson(pg)
    assert pg.locator(STATE + "[data-course-held]").count() == 1
    answer_lesson_01_first_question(pg)
    assert sent, "the page sent its kernel nothing"
    assert not [frame for frame in sent if "request_states" in frame]
    assert not pg.evaluate("() => performance.getEntriesByName('course-widgets:caught-up').length")
