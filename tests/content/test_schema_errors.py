"""A broken content file stops the load with one message naming file, item and field."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from widgets.content import ContentError, load_content, load_table

QUIZ = "quizzes/01-what-is-chronic-back-pain.yaml"
REFS = "references/course-core.yaml"


def _edit(root: Path, rel: str, change) -> None:
    path = root / rel
    doc = yaml.safe_load(path.read_text())
    change(doc)
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))


def _error(root: Path) -> ContentError:
    with pytest.raises(ContentError) as info:
        load_content(root)
    return info.value


def test_the_real_data_loads(data_copy):
    content = load_content(data_copy)
    assert content.questions and content.references and content.course.lessons


def test_yaml_syntax_error_names_file_and_line(data_copy):
    path = data_copy / QUIZ
    path.write_text(path.read_text().replace("kind: single", "kind: [single", 1))
    err = _error(data_copy)
    assert err.file == "data/" + QUIZ
    assert "YAML syntax error at line" in str(err)


def test_missing_field(data_copy):
    _edit(data_copy, QUIZ, lambda d: d["questions"][0].pop("explanation"))
    err = _error(data_copy)
    assert (err.file, err.item, err.field) == ("data/" + QUIZ, "q01-duration", "explanation")
    assert str(err) == f"data/{QUIZ}, item 'q01-duration', field 'explanation': is missing"


def test_wrong_type_is_not_coerced(data_copy):
    _edit(data_copy, QUIZ, lambda d: d["questions"][1]["options"][0].update(correct="yes"))
    err = _error(data_copy)
    assert (err.item, err.field) == ("q01-waves", "options[0].correct")
    assert "'yes'" in str(err)


def test_wrong_type_in_a_reference(data_copy):
    _edit(data_copy, REFS, lambda d: d["references"][0].update(year="2019"))
    err = _error(data_copy)
    assert (err.file, err.item, err.field) == ("data/" + REFS, "treede2019", "year")


def test_unknown_reference_id(data_copy):
    _edit(data_copy, QUIZ, lambda d: d["questions"][2].update(references=["nobody2099"]))
    err = _error(data_copy)
    assert (err.item, err.field) == ("q01-first-weeks", "references")
    assert "'nobody2099'" in str(err)


def test_duplicate_question_id(data_copy):
    _edit(data_copy, QUIZ, lambda d: d["questions"][3].update(id="q01-duration"))
    err = _error(data_copy)
    assert (err.item, err.field) == ("q01-duration", "id")
    assert "duplicate" in str(err)


def test_duplicate_reference_id_across_files(data_copy):
    extra = data_copy / "references" / "zz-extra.yaml"
    extra.write_text(
        "references:\n  - id: treede2019\n    authors: X\n    year: 2020\n"
        "    title: T\n    venue: V\n    url: https://example.org/x\n"
    )
    err = _error(data_copy)
    assert (err.file, err.item, err.field) == ("data/references/zz-extra.yaml", "treede2019", "id")
    assert "first used in data/" + REFS in str(err)


@pytest.mark.parametrize("n_correct", [0, 2])
def test_single_choice_needs_exactly_one_correct_option(data_copy, n_correct):
    def change(doc):
        for i, option in enumerate(doc["questions"][0]["options"]):
            option["correct"] = i < n_correct

    _edit(data_copy, QUIZ, change)
    err = _error(data_copy)
    assert (err.item, err.field) == ("q01-duration", "options")
    assert f"exactly one correct option (found {n_correct})" in str(err)


def test_true_false_must_be_true_and_false(data_copy):
    _edit(data_copy, QUIZ, lambda d: d["questions"][1]["options"][0].update(text="Yes"))
    err = _error(data_copy)
    assert (err.item, err.field) == ("q01-waves", "options")


def test_unknown_lesson_in_a_quiz_file(data_copy):
    _edit(data_copy, QUIZ, lambda d: d.update(lesson="99-nowhere"))
    err = _error(data_copy)
    assert (err.file, err.field) == ("data/" + QUIZ, "lesson")


def test_reference_needs_doi_or_url(data_copy):
    _edit(data_copy, REFS, lambda d: d["references"][1].pop("doi"))
    err = _error(data_copy)
    assert err.item == "nicholas2019" and "give a doi or a url" in str(err)


def test_unknown_key_is_a_typo(data_copy):
    _edit(data_copy, QUIZ, lambda d: d["questions"][0].update(promt="typo"))
    err = _error(data_copy)
    assert (err.item, err.field) == ("q01-duration", "promt")


def test_table_with_a_bad_number_names_line_and_column(data_copy):
    path = data_copy / "tables" / "natural_course.csv"
    lines = path.read_text().splitlines()
    lines[2] = lines[2].replace(",23,", ",twenty,")
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(ContentError) as info:
        load_table("natural_course", data_copy)
    err = info.value
    assert (err.file, err.item, err.field) == (
        "data/tables/natural_course.csv",
        "line 3",
        "mean_pain_0_100",
    )


def test_table_source_must_be_a_reference(data_copy):
    path = data_copy / "tables" / "natural_course.csv"
    path.write_text(path.read_text().replace("menezescosta2012", "nobody", 1))
    with pytest.raises(ContentError, match="unknown reference id 'nobody'"):
        load_table("natural_course", data_copy)


def test_unknown_source_of_the_crisis_text(data_copy):
    _edit(data_copy, "course.yaml", lambda d: d.update(crisis_sources=["samaritans", "nobody"]))
    err = _error(data_copy)
    assert (err.file, err.item, err.field) == ("data/course.yaml", "course", "crisis_sources")
    assert "nobody" in str(err)
