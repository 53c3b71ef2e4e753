"""Reader of the imaging tables in ``data/tables/`` (Brinjikji 2015 and 2015b).

Files, each with a ``source`` column holding a reference id:

``imaging_prevalence.csv``
    ``finding, age, prevalence_pct``: Table 2 of Brinjikji 2015, long form.
``imaging_sample.csv``
    ``finding, age, n_patients, n_studies``: Table 1, how many people and
    studies stand behind each estimate.
``imaging_odds_ratios.csv``
    ``finding, odds_ratio, ci_low, ci_high, p_value``: the companion
    meta-analysis (Brinjikji 2015b), findings more common *with* back pain.

Every row is checked (types, ranges); both tables must hold every finding at
every age from 20 to 80 exactly once, and the same findings. A mistake raises
``ContentError`` naming the file, the line (or the finding) and the column.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from ..logic.imaging import AGES, Estimate, ImagingTable, OddsRatio
from .base import ContentError, Field, FieldError, Model, build
from .registry import kind, read
from .tables import read_table

PREVALENCE = "imaging_prevalence"
SAMPLE = "imaging_sample"
ODDS = "imaging_odds_ratios"

PREVALENCE_COLUMNS = (("finding", str), ("age", int), ("prevalence_pct", float), ("source", str))
SAMPLE_COLUMNS = (
    ("finding", str),
    ("age", int),
    ("n_patients", int),
    ("n_studies", int),
    ("source", str),
)
ODDS_COLUMNS = (
    ("finding", str),
    ("odds_ratio", float),
    ("ci_low", float),
    ("ci_high", float),
    ("p_value", str),
    ("source", str),
)


class _Aged(Model):
    finding: str = Field(min_length=1, max_length=60)
    age: int
    source: str

    def __post_init__(self) -> None:
        if self.age not in AGES:
            raise FieldError("age", f"age must be one of {', '.join(map(str, AGES))}", self.age)


class PrevalenceRow(_Aged):
    prevalence_pct: float = Field(ge=0, le=100)


class SampleRow(_Aged):
    n_patients: int = Field(ge=0)
    n_studies: int = Field(ge=0)


class OddsRow(Model):
    finding: str = Field(min_length=1, max_length=60)
    odds_ratio: float = Field(gt=0)
    ci_low: float = Field(gt=0)
    ci_high: float = Field(gt=0)
    p_value: str = Field(pattern=r"^(<\s*)?0?\.\d+$")
    source: str


def _shown(name: str) -> str:
    return f"data/tables/{name}.csv"


def _validate(name: str, model: type[Model], rows: tuple[dict[str, Any], ...]) -> list[Any]:
    return [
        build(model, raw, _shown(name), f"line {line}") for line, raw in enumerate(rows, start=2)
    ]


def _by_finding_and_age(name: str, rows: list[_Aged]) -> dict[tuple[str, int], Any]:
    seen: dict[tuple[str, int], Any] = {}
    first_line: dict[tuple[str, int], int] = {}
    findings: list[str] = []
    for line, row in enumerate(rows, start=2):
        key = (row.finding, row.age)
        if key in seen:
            raise ContentError(
                _shown(name),
                f"line {line}",
                "age",
                f"{row.finding} at age {row.age} is given twice (first on line {first_line[key]})",
            )
        seen[key], first_line[key] = row, line
        if row.finding not in findings:
            findings.append(row.finding)
    for finding in findings:
        for age in AGES:
            if (finding, age) not in seen:
                raise ContentError(_shown(name), finding, "age", f"no row for age {age}")
    return seen


@kind("imaging")
@lru_cache(maxsize=8)
def _load(root: Path) -> ImagingTable:
    prevalence = _validate(
        PREVALENCE, PrevalenceRow, read_table(PREVALENCE, PREVALENCE_COLUMNS, root)
    )
    sample = _validate(SAMPLE, SampleRow, read_table(SAMPLE, SAMPLE_COLUMNS, root))
    by_key = _by_finding_and_age(PREVALENCE, prevalence)
    n_by_key = _by_finding_and_age(SAMPLE, sample)
    findings = list(dict.fromkeys(row.finding for row in prevalence))
    sample_findings = list(dict.fromkeys(row.finding for row in sample))
    for finding in sample_findings:
        if finding not in findings:
            raise ContentError(
                _shown(SAMPLE),
                finding,
                "finding",
                f"not in {_shown(PREVALENCE)} (check the spelling)",
            )
    for finding in findings:
        if finding not in sample_findings:
            raise ContentError(
                _shown(SAMPLE), finding, "finding", f"missing: {_shown(PREVALENCE)} has it"
            )
    for line, row in enumerate(sample, start=2):
        if (row.n_patients == 0) != (row.n_studies == 0) or row.n_studies > row.n_patients:
            raise ContentError(
                _shown(SAMPLE),
                f"line {line}",
                "n_studies",
                f"{row.n_studies} studies cannot hold {row.n_patients} people",
            )
    estimates = [
        Estimate(
            finding=f,
            age=a,
            prevalence_pct=by_key[(f, a)].prevalence_pct,
            n_patients=n_by_key[(f, a)].n_patients,
            n_studies=n_by_key[(f, a)].n_studies,
        )
        for f in findings
        for a in AGES
    ]
    return ImagingTable(estimates)


def load_imaging(data_dir: Path | str | None = None) -> ImagingTable:
    """Every finding at every age with its support, checked (cached per data folder)."""
    return read("imaging", data_dir)


@kind("odds_ratios")
@lru_cache(maxsize=8)
def _load_odds(root: Path) -> tuple[OddsRatio, ...]:
    rows = _validate(ODDS, OddsRow, read_table(ODDS, ODDS_COLUMNS, root))
    out = []
    for line, row in enumerate(rows, start=2):
        if not row.ci_low <= row.odds_ratio <= row.ci_high:
            raise ContentError(
                _shown(ODDS),
                f"line {line}",
                "odds_ratio",
                f"{row.odds_ratio} lies outside its range {row.ci_low} to {row.ci_high}",
            )
        out.append(OddsRatio(row.finding, row.odds_ratio, row.ci_low, row.ci_high, row.p_value))
    return tuple(out)


def load_odds_ratios(data_dir: Path | str | None = None) -> tuple[OddsRatio, ...]:
    """Findings more common with back pain (Brinjikji 2015b), in file order."""
    return read("odds_ratios", data_dir)


def check_all(data_dir: Path | str | None = None) -> None:
    """Load every imaging table; raise ContentError on the first mistake."""
    load_imaging(data_dir)
    load_odds_ratios(data_dir)
