"""The statutory clock's school-year rules, checked against the law (docs/statutory-clock.md):
year groups from the age on 31 August, phase transfers (SEND Regs 2014 reg 18) and the end
of compulsory school age. Every expected date was worked out by hand from the rule named in
the case id, never by calling the clock; the calendar facts are in test_clock.py's note."""

from datetime import date

import pytest

from reviews import clock
from reviews.clock import SettingType, TransferKind

D = date.fromisoformat


# --- year groups (age on 31 August) -------------------------------------------------------


@pytest.mark.parametrize(
    ("born", "on", "offset", "year"),
    [
        pytest.param(
            "2020-08-31", "2024-09-01", 0, 0, id="NC-born-31-Aug-is-4-on-31-Aug-Reception"
        ),
        pytest.param(
            "2020-09-01",
            "2024-09-01",
            0,
            -1,
            id="NC-born-1-Sep-is-3-on-31-Aug-year-before-Reception",
        ),
        pytest.param(
            "2020-08-31", "2024-08-31", 0, -1, id="NC-31-Aug-is-still-the-old-school-year"
        ),
        pytest.param("2019-09-01", "2025-01-15", 0, 0, id="NC-oldest-in-Reception-mid-year"),
        pytest.param("2014-03-15", "2025-07-10", 0, 6, id="NC-Year-6-in-July"),
        pytest.param("2014-03-15", "2025-09-01", 0, 7, id="NC-Year-7-from-1-Sep"),
        pytest.param("2012-02-29", "2023-09-01", 0, 7, id="NC-leap-day-birth-11-on-31-Aug"),
        pytest.param("2009-09-01", "2025-09-01", 0, 11, id="NC-15-on-31-Aug-Year-11"),
        pytest.param("2009-08-31", "2025-09-01", 0, 12, id="NC-16-on-31-Aug-Year-12"),
        pytest.param("2007-08-31", "2025-12-01", 0, 14, id="NC-18-on-31-Aug-Year-14"),
        pytest.param("2020-08-31", "2024-09-01", -1, -1, id="NC-out-of-year-group-offset"),
    ],
)
def test_year_group(born, on, offset, year):
    assert clock.year_group(D(born), D(on), offset=offset) == year


@pytest.mark.parametrize(
    ("year", "pfa"),
    [
        pytest.param(8, False, id="reg-20(6)-Year-8-not-yet"),
        pytest.param(9, True, id="reg-20(6)-from-Year-9"),
        pytest.param(13, True, id="reg-20(6)-beyond-Year-9"),
    ],
)
def test_preparing_for_adulthood_from_year_9(year, pfa):
    assert clock.is_preparing_for_adulthood(year) is pfa


# --- reg 18: phase transfers ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "setting", "final_year", "kind"),
    [
        pytest.param(
            -1,
            None,
            None,
            TransferKind.EARLY_YEARS_TO_SCHOOL,
            id="reg-18(3)-year-before-Reception-to-school",
        ),
        pytest.param(-2, None, None, None, id="reg-18-two-years-before-Reception-none"),
        pytest.param(0, None, None, None, id="reg-18-Reception-none"),
        pytest.param(2, None, None, None, id="reg-18(3)-Year-2-none-unless-infant-school"),
        pytest.param(
            2,
            SettingType.INFANT,
            None,
            TransferKind.INFANT_TO_JUNIOR,
            id="reg-18(3)-infant-to-junior",
        ),
        pytest.param(2, SettingType.PRIMARY, None, None, id="reg-18-Year-2-in-a-primary-none"),
        pytest.param(
            6,
            None,
            None,
            TransferKind.PRIMARY_TO_SECONDARY,
            id="reg-18(3)-Year-6-primary-to-secondary",
        ),
        pytest.param(
            6,
            SettingType.JUNIOR,
            None,
            TransferKind.PRIMARY_TO_SECONDARY,
            id="reg-18(3)-junior-to-secondary",
        ),
        pytest.param(
            4,
            SettingType.FIRST,
            None,
            TransferKind.PRIMARY_TO_MIDDLE,
            id="reg-18(3)-first-to-middle",
        ),
        pytest.param(
            8,
            SettingType.MIDDLE,
            None,
            TransferKind.MIDDLE_TO_SECONDARY,
            id="reg-18(3)-middle-to-secondary",
        ),
        pytest.param(
            7,
            SettingType.MIDDLE,
            7,
            TransferKind.MIDDLE_TO_SECONDARY,
            id="reg-18(3)-middle-ending-Year-7",
        ),
        pytest.param(6, SettingType.MIDDLE, None, None, id="reg-18-middle-school-Year-6-stays"),
        pytest.param(9, None, None, None, id="reg-18-Year-9-none"),
        pytest.param(
            11, None, None, TransferKind.SECONDARY_TO_POST_16, id="reg-18(1)(a)-Year-11-to-post-16"
        ),
        pytest.param(
            11,
            SettingType.SECONDARY,
            None,
            TransferKind.SECONDARY_TO_POST_16,
            id="reg-18(1)(a)-secondary-Year-11",
        ),
        pytest.param(
            13,
            SettingType.SECONDARY,
            13,
            TransferKind.SECONDARY_TO_POST_16,
            id="reg-18(1)(a)-leaving-a-sixth-form",
        ),
        pytest.param(12, None, None, None, id="reg-18-Year-12-none"),
        pytest.param(
            12, SettingType.POST_16, None, None, id="reg-18(2)-post-16-moves-are-dated-not-yearly"
        ),
        pytest.param(
            -1,
            SettingType.EARLY_YEARS,
            None,
            TransferKind.EARLY_YEARS_TO_SCHOOL,
            id="reg-18(3)-early-years-setting",
        ),
    ],
)
def test_transfer_for_year(year, setting, final_year, kind):
    assert clock.transfer_for_year(year, setting=setting, final_year=final_year) == kind


@pytest.mark.parametrize(
    ("kind", "transfer", "deadline"),
    [
        pytest.param(
            TransferKind.PRIMARY_TO_SECONDARY,
            "2025-09-01",
            "2025-02-14",
            id="reg-18(1)(b)-before-15-Feb",
        ),
        pytest.param(
            TransferKind.EARLY_YEARS_TO_SCHOOL,
            "2025-09-01",
            "2025-02-14",
            id="reg-18(1)(b)-early-years",
        ),
        pytest.param(
            TransferKind.INFANT_TO_JUNIOR,
            "2028-09-01",
            "2028-02-14",
            id="reg-18(1)(b)-infant-leap-year",
        ),
        pytest.param(
            TransferKind.MIDDLE_TO_SECONDARY, "2026-09-01", "2026-02-14", id="reg-18(1)(b)-middle"
        ),
        pytest.param(
            TransferKind.EARLY_YEARS_TO_SCHOOL,
            "2027-01-05",
            "2027-02-14",
            id="reg-18(1)(b)-calendar-year-of-a-January-transfer",
        ),
        pytest.param(
            TransferKind.SECONDARY_TO_POST_16,
            "2026-09-01",
            "2026-03-30",
            id="reg-18(1)(a)-before-31-March",
        ),
        pytest.param(
            TransferKind.POST_16_TO_POST_16,
            "2027-01-06",
            "2026-08-06",
            id="reg-18(2)-5-months-before",
        ),
    ],
)
def test_phase_transfer_deadline(kind, transfer, deadline):
    assert clock.phase_transfer_deadline(kind, D(transfer)) == D(deadline)


@pytest.mark.parametrize(
    ("transfer", "deadline"),
    [
        pytest.param("2027-01-06", "2026-08-06", id="reg-18(2)-January-move"),
        pytest.param("2026-04-20", "2025-11-20", id="reg-18(2)-April-move"),
        pytest.param("2026-07-31", "2026-02-28", id="reg-18(2)-31-July-back-to-28-Feb"),
        pytest.param("2028-07-31", "2028-02-29", id="reg-18(2)-31-July-back-to-29-Feb-leap"),
    ],
)
def test_post16_transfer_at_another_time(transfer, deadline):
    assert clock.post16_transfer_deadline(D(transfer)) == D(deadline)


@pytest.mark.parametrize(
    ("born", "on", "setting", "offset", "kind", "transfer", "deadline"),
    [
        pytest.param(
            "2014-03-15",
            "2024-10-10",
            None,
            0,
            TransferKind.PRIMARY_TO_SECONDARY,
            "2025-09-01",
            "2025-02-14",
            id="reg-18(1)(b)-Year-6-autumn",
        ),
        pytest.param(
            "2014-03-15",
            "2025-03-01",
            None,
            0,
            TransferKind.PRIMARY_TO_SECONDARY,
            "2025-09-01",
            "2025-02-14",
            id="reg-18(1)(b)-Year-6-after-the-deadline-stays-this-year",
        ),
        pytest.param(
            "2009-10-10",
            "2025-11-01",
            None,
            0,
            TransferKind.SECONDARY_TO_POST_16,
            "2026-09-01",
            "2026-03-30",
            id="reg-18(1)(a)-Year-11",
        ),
        pytest.param(
            "2021-08-31",
            "2024-10-01",
            None,
            0,
            TransferKind.EARLY_YEARS_TO_SCHOOL,
            "2025-09-01",
            "2025-02-14",
            id="reg-18(1)(b)-turns-4-in-the-year-to-Reception",
        ),
        pytest.param(
            "2019-05-01",
            "2025-12-01",
            SettingType.INFANT,
            0,
            TransferKind.INFANT_TO_JUNIOR,
            "2026-09-01",
            "2026-02-14",
            id="reg-18(1)(b)-Year-2-infant-school",
        ),
        pytest.param(
            "2014-08-20",
            "2025-10-01",
            None,
            -1,
            TransferKind.PRIMARY_TO_SECONDARY,
            "2026-09-01",
            "2026-02-14",
            id="reg-18(1)(b)-summer-born-a-year-behind",
        ),
    ],
)
def test_phase_transfer_due(born, on, setting, offset, kind, transfer, deadline):
    got = clock.phase_transfer_due(D(born), D(on), setting=setting, year_offset=offset)
    assert got == clock.PhaseTransfer(kind=kind, transfer_date=D(transfer), deadline=D(deadline))


@pytest.mark.parametrize(
    ("born", "on", "setting"),
    [
        pytest.param("2019-05-01", "2025-12-01", None, id="reg-18-Year-2-in-a-primary-no-transfer"),
        pytest.param("2010-10-10", "2025-11-01", None, id="reg-18-Year-10-no-transfer"),
    ],
)
def test_no_phase_transfer(born, on, setting):
    assert clock.phase_transfer_due(D(born), D(on), setting=setting) is None


@pytest.mark.parametrize(
    ("born", "ends"),
    [
        pytest.param("2009-03-15", "2025-06-27", id="s8-16-in-March-last-Friday-of-that-June"),
        pytest.param("2009-08-31", "2025-06-27", id="s8(4)-16-in-August-ends-the-June-before"),
        pytest.param("2008-09-01", "2025-06-27", id="s8-16-in-September-ends-next-June"),
        pytest.param("2008-08-31", "2024-06-28", id="s8-a-day-older-a-year-earlier"),
        pytest.param("2007-01-10", "2023-06-30", id="s8-30-June-itself-a-Friday"),
        pytest.param("2008-02-29", "2024-06-28", id="s8-leap-day-birth"),
    ],
)
def test_compulsory_school_age_ends_on_the_last_friday_of_june(born, ends):
    assert clock.compulsory_school_age_ends(D(born)) == D(ends)


@pytest.mark.parametrize(
    ("on", "cutoff"),
    [
        pytest.param("2025-06-26", "2008-09-01", id="the-day-before-the-last-Friday"),
        pytest.param("2025-06-27", "2009-09-01", id="from-the-last-Friday"),
        pytest.param("2025-12-01", "2009-09-01", id="the-autumn-after"),
    ],
)
def test_who_has_passed_compulsory_school_age_is_told_by_date_of_birth(on, cutoff):
    assert clock.born_before_school_age_ended(D(on)) == D(cutoff)
