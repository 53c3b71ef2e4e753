"""Every page as the server sends it: found, titled, no code, no traceback, no data files."""

from __future__ import annotations

import html
import json
import re

import pytest

from tests.browser.conftest import http_get
from tests.conftest import NOTEBOOKS
from widgets.content import load_content
from widgets.content.red_flags import load_red_flags
from widgets.logic.warning_signs import notice_text

pytestmark = pytest.mark.browser

PAGES = sorted(p.name for p in NOTEBOOKS.glob("*.ipynb"))


def test_root_goes_to_the_landing_page(voila):
    status, _, location = http_get(voila.url + "/")
    assert status in (301, 302) and location.endswith("/voila/render/00-index.ipynb")


@pytest.mark.parametrize("name", PAGES)
def test_page_renders_without_code_or_traceback(voila, name):
    status, body, _ = http_get(f"{voila.url}/voila/render/{name}")
    assert status == 200
    nb = json.loads((NOTEBOOKS / name).read_text())
    title = re.search(r"<title>(.*?)</title>", body, re.S).group(1).strip()
    assert html.unescape(title) == nb["metadata"]["title"]
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            for line in "".join(cell["source"]).splitlines():
                assert line not in body, f"source shown: {line}"
    assert "Traceback" not in body and '"output_type": "error"' not in body
    assert "cdn.jsdelivr" not in body and "cdnjs" not in body
    # The notice is said once, in the page's own text (made from data/red_flags.yaml):
    # the disclaimer and the warning line; the footer only points to lesson 8.
    # (Its text, not its scripts: the widgets' state in the page holds the red-flag
    # checker's own notice, which the checker shows beside its questions.)
    text = re.sub(r"<script\b.*?</script>", " ", body, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = " ".join(text.split())
    assert text.count(load_content().course.disclaimer) == 1
    assert text.count(notice_text(load_red_flags()).split(" Every warning sign")[0]) == 1
    footer = re.search(r'<footer class="course-footer">(.*?)</footer>', body, re.S).group(1)
    assert 'href="/voila/render/08-when-to-worry.ipynb">lesson 8, When to worry</a>' in footer


@pytest.mark.parametrize(
    "path",
    [
        "/voila/files/../data/course.yaml",
        "/voila/files/%2e%2e/data/course.yaml",
        "/voila/files/00-index.ipynb",
        "/voila/render/../data/course.yaml",
        "/voila/files/../widgets/content.py",
        # The template's static files: Voila's own handler answered these with 500.
        "/voila/templates/course/static/..%2f..%2f..%2f..%2f..%2fdata%2fcourse.yaml",
        "/voila/templates/course/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/%2e%2e/data/course.yaml",
        "/voila/templates/course/nothing-here",
    ],
)
def test_files_outside_the_lessons_cannot_be_downloaded(voila, path):
    status, body, _ = http_get(voila.url + path, follow=True)
    assert status in (403, 404)
    assert "disclaimer:" not in body and "def load_content" not in body


@pytest.mark.parametrize(
    "path",
    [
        "/voila/render/01-what-is-chronic-back-pain.ipynb",  # a lesson, streamed as it runs
        "/voila/static/voila.js",
        "/voila/templates/course/static/course.css",
    ],
)
def test_the_server_sends_text_gzip_compressed_to_a_browser_that_accepts_it(voila, path):
    import gzip
    import urllib.request

    def fetch(encoding: str | None):
        headers = {"Accept-Encoding": encoding} if encoding else {}
        request = urllib.request.Request(voila.url + path, headers=headers)
        with urllib.request.urlopen(request, timeout=60) as reply:
            return reply.headers.get("Content-Encoding"), reply.read()

    encoding, packed = fetch("gzip")
    plain_encoding, plain = fetch(None)
    assert encoding == "gzip" and plain_encoding is None
    unpacked = gzip.decompress(packed)
    assert len(packed) < len(unpacked) / 2  # text compresses well
    if path.endswith(".ipynb"):  # each render has its own kernel id: compare the start
        assert unpacked[:2000] == plain[:2000] and b"</html>" in unpacked
    else:
        assert unpacked == plain


def _headers(url: str) -> tuple[int, dict]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=60) as reply:
            reply.read()
            return reply.status, {k.lower(): v for k, v in reply.headers.items()}
    except urllib.error.HTTPError as exc:
        return exc.code, {}


def _page_config(voila, page: str = "01-what-is-chronic-back-pain.ipynb") -> dict:
    _, body, _ = http_get(f"{voila.url}/voila/render/{page}")
    found = re.search(r'<script id="jupyter-config-data"[^>]*>(.*?)</script>', body, re.S)
    return json.loads(found.group(1))


FRONT_END = re.compile(r'"(/voila/templates/course/static/course-widgets\.js\?v=[0-9a-f]{32,})"')


def test_a_lesson_loads_the_courses_one_file_front_end_kept_ten_years(voila):
    """A lesson page asks for one script (frontend/, built into the course template), at
    an address carrying a hash of its content, so a browser keeps it; it does not load
    Voila's own front end (voila.js and its ~100 chunks)."""
    _, body, _ = http_get(f"{voila.url}/voila/render/01-what-is-chronic-back-pain.ipynb")
    found = FRONT_END.findall(body)
    assert len(found) == 1, found
    assert "voila.js" not in body
    status, headers = _headers(voila.url + found[0])
    assert status == 200 and headers["cache-control"] == "max-age=315360000"


def test_voilas_front_end_comes_from_an_address_that_names_its_version_kept_a_year(voila):
    """The slides still run Voila's front end (its reveal.js app): from an address that
    names Voila's version, kept a year."""
    config = _page_config(voila)
    static = config["fullStaticUrl"]
    assert re.fullmatch(r"/voila/static/v/[0-9a-f]{16}", static), static
    _, body, _ = http_get(
        f"{voila.url}/voila/render/01-what-is-chronic-back-pain.ipynb?template=course-slides"
    )
    assert f"{static}/voila.js" in body  # where the slides load Voila's front end from
    status, headers = _headers(voila.url + static + "/voila.js")
    assert status == 200 and headers["cache-control"] == "public, max-age=31536000, immutable"
    # Another version's address is not served: an old page reloads rather than mixing.
    other = re.sub(r"v/[0-9a-f]+", "v/0123456789abcdef", static)
    assert _headers(voila.url + other + "/voila.js")[0] in (403, 404)
    # Voila's own address still works (the load balancer's health check asks it).
    assert _headers(voila.url + "/voila/static/voila.js")[0] == 200


def test_widget_libraries_are_kept_a_year_when_their_names_carry_a_content_hash(voila):
    config = _page_config(voila)
    loads = [ext["load"] for ext in config["federated_extensions"]]
    assert loads
    for ext in config["federated_extensions"]:
        url = f"{voila.url}/voila/labextensions/{ext['name']}/{ext['load']}"
        status, headers = _headers(url)
        assert status == 200 and headers["cache-control"].endswith("immutable"), url
    name = config["federated_extensions"][0]["name"]
    status, headers = _headers(f"{voila.url}/voila/labextensions/{name}/package.json")
    assert status == 200 and headers["cache-control"] == "no-cache"


@pytest.mark.parametrize(
    ("page", "words"),
    [
        ("01-what-is-chronic-back-pain.ipynb", "Getting the interactive parts of this page ready…"),
        ("es/01-what-is-chronic-back-pain.ipynb", "Preparando las partes interactivas"),
    ],
)
def test_the_slides_say_what_is_happening_in_the_pages_language_while_they_load(voila, page, words):
    """Voila's spinner said "Running <title>..." in English on every page."""
    _, body, _ = http_get(f"{voila.url}/voila/render/{page}?template=course-slides")
    loading = re.search(r'<h2 id="loading_text" role="status">([^<]*)</h2>', body)
    assert loading and loading.group(1).startswith(words), loading
    assert "Running " not in body
    assert re.search(r'<div class="spinner-container" aria-hidden="true"><svg', body)
