from __future__ import annotations

import pytest

from ksreport.periods import Period, PeriodKind, parse_period


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (2020, Period(2020)),
        (2020.0, Period(2020)),
        ("2020", Period(2020)),
        (" 2021-T1 ", Period(2021, PeriodKind.T1)),
        ("2021-t2", Period(2021, PeriodKind.T2)),
        ("2021-H1", Period(2021, PeriodKind.H1)),
        ("2021 T1", Period(2021, PeriodKind.T1)),
    ],
)
def test_parse(value: object, expected: Period) -> None:
    assert parse_period(value) == expected


@pytest.mark.parametrize(
    "value", ["2020-T3", "2021-H2", "20", "T1-2021", "", "2020.5", 2020.5, True, None, "2021-Q1"]
)
def test_parse_rejects(value: object) -> None:
    assert parse_period(value) is None


def test_order_and_words() -> None:
    periods = [
        Period(2021),
        Period(2021, PeriodKind.T2),
        Period(2021, PeriodKind.H1),
        Period(2021, PeriodKind.T1),
        Period(2020),
    ]
    assert [p.code for p in sorted(periods)] == ["2020", "2021-T1", "2021-H1", "2021-T2", "2021"]
    assert Period(2020).words == "helår 2020"
    assert Period(2021, PeriodKind.T1).words == "delår per april 2021"
    assert Period(2021, PeriodKind.T2).words == "delår per augusti 2021"
    assert Period(2021, PeriodKind.H1).words == "halvår 2021"
    assert Period(2020, PeriodKind.T2).year_earlier().code == "2019-T2"
