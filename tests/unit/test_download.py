"""Download links carry the whole file and nothing unsafe."""

from __future__ import annotations

import base64
import re

import pytest

from widgets.logic.download import download_link


def test_link_holds_the_file_in_utf8():
    link = download_link(
        "my-plan.md", "# Plan\nWalk 10 min — étape 1 <b>", "Download <my> plan", "text/markdown"
    )
    data = re.search(r'base64,([^"]+)"', link).group(1)
    assert base64.b64decode(data).decode("utf-8") == "# Plan\nWalk 10 min — étape 1 <b>"
    assert 'download="my-plan.md"' in link and ">Download &lt;my&gt; plan</a>" in link


@pytest.mark.parametrize("name", ["../x.md", "", "a b.md", "x" * 100, "<x>.md"])
def test_unsafe_names_are_refused(name):
    with pytest.raises(ValueError):
        download_link(name, "x", "label")


def test_odd_media_type_is_refused():
    with pytest.raises(ValueError):
        download_link("a.txt", "x", "label", mime='text/html" onclick="x')
