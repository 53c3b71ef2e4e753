"""The imaging tables: copied exactly from Brinjikji 2015, complete, and every mistake named."""

from __future__ import annotations

from pathlib import Path

import pytest

from widgets.content import ContentError, load_content
from widgets.content.imaging import check_all, load_imaging, load_odds_ratios
from widgets.logic.imaging import AGES

PREV = "tables/imaging_prevalence.csv"
SAMPLE = "tables/imaging_sample.csv"
ODDS = "tables/imaging_odds_ratios.csv"

# Brinjikji et al. 2015, Table 2 (prevalence %, ages 20..80) and Table 1 (people, studies),
# as given in the shared research brief; the CSVs in data/ must hold exactly these numbers.
TABLE_2 = {
    "Disk degeneration": (37, 52, 68, 80, 88, 93, 96),
    "Disk signal loss": (17, 33, 54, 73, 86, 94, 97),
    "Disk height loss": (24, 34, 45, 56, 67, 76, 84),
    "Disk bulge": (30, 40, 50, 60, 69, 77, 84),
    "Disk protrusion": (29, 31, 33, 36, 38, 40, 43),
    "Annular fissure": (19, 20, 22, 23, 25, 27, 29),
    "Facet degeneration": (4, 9, 18, 32, 50, 69, 83),
    "Spondylolisthesis": (3, 5, 8, 14, 23, 35, 50),
}
TABLE_1 = {
    "Disk degeneration": ((273, 9), (604, 16), (415, 12), (311, 10), (80, 4), (20, 2), (19, 2)),
    "Disk signal loss": ((46, 2), (142, 5), (352, 4), (73, 2), (35, 1), (15, 1), (14, 1)),
    "Disk height loss": ((15, 1), (163, 5), (186, 5), (208, 5), (35, 1), (15, 1), (14, 1)),
    "Disk bulge": ((55, 4), (101, 7), (151, 8), (123, 7), (66, 5), (24, 3), (22, 3)),
    "Disk protrusion": ((87, 5), (468, 14), (490, 14), (363, 12), (86, 5), (19, 2), (17, 2)),
    "Annular fissure": ((167, 5), (350, 5), (426, 7), (53, 3), (35, 3), (15, 1), (14, 1)),
    "Facet degeneration": ((0, 0), (0, 0), (596, 3), (53, 3), (35, 3), (15, 1), (14, 1)),
    "Spondylolisthesis": ((0, 0), (0, 0), (31, 1), (53, 1), (35, 1), (15, 1), (14, 1)),
}


def _lines(root: Path, rel: str) -> list[str]:
    return (root / rel).read_text().splitlines()


def _write(root: Path, rel: str, lines: list[str]) -> None:
    (root / rel).write_text("\n".join(lines) + "\n")


def _error(root: Path, loader=load_imaging) -> ContentError:
    with pytest.raises(ContentError) as info:
        loader(root)
    return info.value


def test_the_data_loads_with_every_age_and_every_finding():
    table = load_imaging()
    assert table.findings == tuple(TABLE_2)
    for finding, values in TABLE_2.items():
        rows = table.for_finding(finding)
        assert tuple(e.age for e in rows) == AGES == (20, 30, 40, 50, 60, 70, 80)
        assert tuple(e.prevalence_pct for e in rows) == values
        assert tuple((e.n_patients, e.n_studies) for e in rows) == TABLE_1[finding]


def test_each_table_file_has_one_row_per_finding_and_age_and_cites_its_source():
    root = Path(__file__).resolve().parents[2] / "data"
    for rel in (PREV, SAMPLE):
        lines = _lines(root, rel)
        assert len(lines) == 1 + 8 * 7
        assert all(line.endswith(",brinjikji2015") for line in lines[1:])
    refs = load_content().references
    assert "brinjikji2015" in refs and "brinjikji2015b" in refs


def test_the_counterweight_table_loads():
    rows = load_odds_ratios()
    assert [r.finding for r in rows][:2] == ["Disc bulge", "Spondylolysis"]
    assert rows[0].odds_ratio == 7.54 and (rows[0].ci_low, rows[0].ci_high) == (1.28, 44.56)
    assert all(r.ci_low <= r.odds_ratio <= r.ci_high for r in rows)
    check_all()


def test_a_word_where_a_number_belongs_names_file_line_and_column(data_copy):
    lines = _lines(data_copy, PREV)
    lines[4] = lines[4].replace(",80,", ",eighty,")  # Disk degeneration, age 50
    _write(data_copy, PREV, lines)
    err = _error(data_copy)
    assert (err.file, err.item, err.field) == ("data/" + PREV, "line 5", "prevalence_pct")
    assert "'eighty'" in str(err)


def test_a_share_over_100_names_line_and_column(data_copy):
    lines = _lines(data_copy, PREV)
    lines[7] = lines[7].replace(",96,", ",196,")
    _write(data_copy, PREV, lines)
    err = _error(data_copy)
    assert (err.file, err.item, err.field) == ("data/" + PREV, "line 8", "prevalence_pct")
    assert "less than or equal to 100" in str(err)


def test_an_age_that_is_not_a_decade_is_named(data_copy):
    lines = _lines(data_copy, SAMPLE)
    lines[2] = lines[2].replace(",30,", ",35,", 1)
    _write(data_copy, SAMPLE, lines)
    err = _error(data_copy)
    assert (err.file, err.item, err.field) == ("data/" + SAMPLE, "line 3", "age")
    assert "20, 30, 40, 50, 60, 70, 80" in str(err)


def test_a_missing_age_names_the_finding(data_copy):
    lines = [line for line in _lines(data_copy, PREV) if line != "Disk bulge,60,69,brinjikji2015"]
    _write(data_copy, PREV, lines)
    err = _error(data_copy)
    assert (err.file, err.item, err.field) == ("data/" + PREV, "Disk bulge", "age")
    assert "no row for age 60" in str(err)


def test_a_repeated_row_names_both_lines(data_copy):
    lines = _lines(data_copy, PREV)
    _write(data_copy, PREV, lines + [lines[1]])
    err = _error(data_copy)
    assert (err.item, err.field) == ("line 58", "age")
    assert "given twice (first on line 2)" in str(err)


def test_a_finding_spelled_differently_in_the_two_tables_is_named(data_copy):
    path = data_copy / SAMPLE
    path.write_text(path.read_text().replace("Annular fissure", "Annular fisure"))
    err = _error(data_copy)
    assert (err.file, err.item, err.field) == ("data/" + SAMPLE, "Annular fisure", "finding")


def test_studies_and_people_must_agree(data_copy):
    lines = _lines(data_copy, SAMPLE)
    lines[2] = "Disk degeneration,30,0,16,brinjikji2015"
    _write(data_copy, SAMPLE, lines)
    err = _error(data_copy)
    assert (err.item, err.field) == ("line 3", "n_studies")


def test_a_negative_count_is_refused(data_copy):
    lines = _lines(data_copy, SAMPLE)
    lines[3] = lines[3].replace(",415,", ",-415,")
    _write(data_copy, SAMPLE, lines)
    err = _error(data_copy)
    assert (err.item, err.field) == ("line 4", "n_patients")


def test_an_unknown_source_is_named(data_copy):
    path = data_copy / PREV
    path.write_text(path.read_text().replace("brinjikji2015", "brinjikji2051", 1))
    err = _error(data_copy)
    assert (err.item, err.field) == ("line 2", "source")
    assert "unknown reference id 'brinjikji2051'" in str(err)


def test_a_wrong_header_is_named(data_copy):
    lines = _lines(data_copy, SAMPLE)
    lines[0] = "finding,age,patients,n_studies,source"
    _write(data_copy, SAMPLE, lines)
    err = _error(data_copy)
    assert (err.file, err.item) == ("data/" + SAMPLE, "header")


def test_an_odds_ratio_outside_its_range_is_named(data_copy):
    lines = _lines(data_copy, ODDS)
    lines[1] = "Disc bulge,75.4,1.28,44.56,0.03,brinjikji2015b"
    _write(data_copy, ODDS, lines)
    err = _error(data_copy, load_odds_ratios)
    assert (err.file, err.item, err.field) == ("data/" + ODDS, "line 2", "odds_ratio")


def test_a_p_value_that_is_not_one_is_named(data_copy):
    lines = _lines(data_copy, ODDS)
    lines[3] = lines[3].replace("<0.01", "small")
    _write(data_copy, ODDS, lines)
    err = _error(data_copy, load_odds_ratios)
    assert (err.item, err.field) == ("line 4", "p_value")


def test_a_missing_table_file_is_named(data_copy):
    (data_copy / SAMPLE).unlink()
    err = _error(data_copy)
    assert err.file == "data/" + SAMPLE and "file not found" in str(err)
