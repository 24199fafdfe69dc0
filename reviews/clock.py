"""The statutory clock for EHC plan reviews in England: dates in, dates out.

Every deadline the portal shows comes from here (docs/statutory-clock.md). Pure functions: no
database, no models, no "today" read behind the caller's back, and Django only inside
``durations_from_settings``, so this module imports and tests without Django.

Sources: Children and Families Act 2014 (CFA) ss44, 45, 51, 55; Special Educational Needs
and Disability Regulations 2014 (SEND Regs) regs 2, 18, 20-22, 33-39, 45; SEND Code of
Practice 0-25 (2015) chapter 9 (CoP); R (L, M and P) v Devon CC [2022] EWHC 493 (Admin)
(Devon); Tribunal Procedure (First-tier Tribunal) (HESC Chamber) Rules 2008 (HESC Rules)
rr.1(3), 12, 20.

How periods are counted (the same convention throughout, so each function only names its
rule):

- "within N weeks/days of X": on or before X + N weeks/days; the day of X is not counted.
- "at least N weeks before X": on or before X - N weeks.
- "within N months of/after X": on or before the corresponding date N months later, or the
  last day of that month when it has no such date (31 January + 1 month = 28/29 February):
  the corresponding-date rule, Dodds v Walker [1981] 1 WLR 1027 (HL).
- "a period of N months starting with X" (CFA s44(1)): X is day one, so the period ends the
  day before the corresponding date; when there is none (29 February in a common year) the
  next period starts on 1 March and this one ends on the last day of February.
- "before 15 February": 15 February itself is too late, so the last day is 14 February.

Durations are settings (the DfE consulted on changing some in 2022): every function takes
``durations``, defaulting to the current law (``LEGAL_DEFAULTS``); Django code passes
``durations_from_settings()``.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from typing import Any, overload

from dateutil.relativedelta import relativedelta

from .bank_holidays import is_bank_holiday

# ---------------------------------------------------------------------------
# Durations
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class StatutoryDurations:
    """Every duration and fixed date the clock uses, defaulting to the law in force."""

    review_interval_months: int = 12  # CFA 2014 s44(1)
    under_five_min_months: int = 3  # CoP 9.178
    under_five_max_months: int = 6  # CoP 9.178
    termly_list_weeks: int = 2  # CoP 9.172
    notice_weeks: int = 2  # SEND Regs 2014 regs 20(3), 21(3)
    advice_circulation_weeks: int = 2  # SEND Regs 2014 regs 20(4), 21(4); CoP 9.176
    report_weeks: int = 2  # SEND Regs 2014 regs 20(7), 21(7)
    decision_weeks: int = 4  # SEND Regs 2014 regs 20-21; CoP 9.176; Devon [2022]
    representations_days: int = 15  # SEND Regs 2014 reg 22(2)(c)
    final_plan_weeks: int = 8  # SEND Regs 2014 reg 22(3)-(4)
    phase_transfer_before: tuple[int, int] = (2, 15)  # (month, day); reg 18(1)(b)
    post16_transfer_before: tuple[int, int] = (3, 31)  # (month, day); reg 18(1)(a)
    post16_transfer_notice_months: int = 5  # SEND Regs 2014 reg 18(2)
    preparing_for_adulthood_from_year: int = 9  # SEND Regs 2014 regs 20(6), 21(6)
    mediation_contact_months: int = 2  # SEND Regs 2014 reg 33
    mediation_certificate_working_days: int = 3  # SEND Regs 2014 regs 34, 39
    mediation_held_days: int = 30  # SEND Regs 2014 regs 36-37
    appeal_months: int = 2  # HESC Rules 2008 r.20(1)(c)(i)
    appeal_after_certificate_months: int = 1  # HESC Rules 2008 r.20(1)(c)(ii)
    unopposed_appeal_weeks: int = 5  # SEND Regs 2014 reg 45(4), as amended 2015
    order_amend_provision_weeks: int = 5  # SEND Regs 2014 reg 44(2)(e), (h)
    order_amend_placement_weeks: int = 2  # SEND Regs 2014 reg 44(2)(f)
    # Not the law's: the least time the portal gives a person asked for advice or views
    # when the law's date has passed, or leaves them less (issue #16: nobody is late on
    # the day they are asked).
    reply_working_days: int = 5

    def __post_init__(self) -> None:
        # A bad override must not produce a wrong date on a family's letter: the reviews
        # app reads the setting at start-up (ReviewsConfig.ready), so it fails there.
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("phase_transfer_before", "post16_transfer_before"):
                _check_month_day(f.name, value)
            elif type(value) is not int or value < 1:
                raise ValueError(
                    f"STATUTORY_DURATIONS[{f.name!r}] must be a whole number >= 1, got {value!r}"
                )

    def overridden(self, overrides: Mapping[str, object]) -> StatutoryDurations:
        """These durations with ``overrides`` applied; an unknown name raises ValueError."""
        known = {f.name for f in fields(self)}
        unknown = sorted(set(overrides) - known)
        if unknown:
            raise ValueError(
                f"Unknown STATUTORY_DURATIONS setting(s): {', '.join(unknown)}. "
                f"Known: {', '.join(sorted(known))}"
            )
        # Any: each value is checked by __post_init__ as the copy is made.
        cleaned: dict[str, Any] = {
            # Settings files write [2, 15] as readily as (2, 15).
            name: tuple(value) if isinstance(value, list) else value
            for name, value in overrides.items()
        }
        return replace(self, **cleaned)


def _check_month_day(name: str, value: object) -> None:
    if isinstance(value, tuple) and len(value) == 2 and all(type(part) is int for part in value):
        try:
            # 2001 is a common year: 29 February would silently not exist in most years.
            dt.date(2001, value[0], value[1])
            return
        except ValueError:
            pass
    raise ValueError(
        f"STATUTORY_DURATIONS[{name!r}] must be a (month, day) pair, got {value!r}"
    )


LEGAL_DEFAULTS = StatutoryDurations()


def durations_from_settings() -> StatutoryDurations:
    """The durations in force: the law's defaults with the optional Django setting
    ``STATUTORY_DURATIONS`` (a dict of overrides by field name) applied. Unknown names
    raise ValueError. (The DfE consulted in 2022 on changing some of these durations.)"""
    # Imported here so the clock itself never needs Django configured.
    from django.conf import settings

    overrides = getattr(settings, "STATUTORY_DURATIONS", None) or {}
    if not isinstance(overrides, Mapping):
        raise ValueError("STATUTORY_DURATIONS must be a dict of overrides")
    return LEGAL_DEFAULTS.overridden(overrides)


_UNITS = (("_working_days", "working day"), ("_weeks", "week"), ("_days", "day"),
          ("_months", "month"))


def _counted(n: int, unit: str) -> str:
    return f"{n} {unit}" if n == 1 else f"{n} {unit}s"


def in_words(durations: StatutoryDurations = LEGAL_DEFAULTS) -> dict[str, str]:
    """Each duration as a page or a letter says it, by its name without the unit:
    ``notice`` "2 weeks", ``representations`` "15 days", ``mediation_certificate`` "3
    working days", ``review_interval`` "12 months"; and ``amendments_overall``, the weeks
    from a meeting to an amended plan (the decision's and the final plan's together). Pages
    take them from here, so a changed duration changes every sentence that states it."""
    words = {}
    for f in fields(durations):
        for suffix, unit in _UNITS:
            if f.name.endswith(suffix):
                words[f.name.removesuffix(suffix)] = _counted(getattr(durations, f.name), unit)
                break
    words["amendments_overall"] = _counted(
        durations.decision_weeks + durations.final_plan_weeks, "week")
    return words


def words_in_force() -> dict[str, str]:
    """``in_words`` for the durations in force (the settings' overrides applied)."""
    return in_words(durations_from_settings())


# ---------------------------------------------------------------------------
# Calendar arithmetic
# ---------------------------------------------------------------------------


class FactsOutOfOrder(ValueError):
    """Two facts the clock counts from are in an order that cannot be true (a decision
    letter before its meeting): no date is given from them. The message names both, so
    the record can be corrected; callers add which record it is."""


def _in_order(*facts: tuple[str, dt.date | None]) -> None:
    """Refuse facts (name, date) that are not in the order given; missing ones are
    skipped."""
    known = [(name, day) for name, day in facts if day is not None]
    for (first, first_day), (then, then_day) in zip(known, known[1:], strict=False):
        if then_day < first_day:
            raise FactsOutOfOrder(
                f"{then[:1].upper()}{then[1:]} is dated {then_day:%-d %B %Y}, before "
                f"{first} on {first_day:%-d %B %Y}")


def _days(n: int) -> dt.timedelta:
    return dt.timedelta(days=n)


def _weeks(n: int) -> dt.timedelta:
    return dt.timedelta(weeks=n)


def _months_after(day: dt.date, months: int) -> dt.date:
    # relativedelta clamps to the month's last day: the corresponding-date rule.
    after: dt.date = day + relativedelta(months=months)
    return after


def _months_before(day: dt.date, months: int) -> dt.date:
    before: dt.date = day - relativedelta(months=months)
    return before


def _last_day_of_months_period(start: dt.date, months: int) -> dt.date:
    """Last day of a period of ``months`` months starting with (and counting) ``start``."""
    corresponding = _months_after(start, months)
    if corresponding.day != start.day:
        # No corresponding date (29 Feb 2024 + 12 months): the next period would start
        # on the 1st of the month after, so this one runs to the clamped month-end.
        return corresponding
    return corresponding - _days(1)


@dataclass(frozen=True)
class DateWindow:
    """An inclusive range of dates."""

    start: dt.date
    end: dt.date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end


# ---------------------------------------------------------------------------
# Working days
# ---------------------------------------------------------------------------


def is_working_day(day: dt.date) -> bool:
    """Not a Saturday, Sunday, Christmas Day, Good Friday or English bank holiday.
    SEND Regs 2014 reg 2; HESC Rules 2008 r.1(3)."""
    return day.weekday() < 5 and not is_bank_holiday(day)


def next_working_day(day: dt.date) -> dt.date:
    """The first working day strictly after ``day`` (SEND Regs 2014 reg 2)."""
    day += _days(1)
    while not is_working_day(day):
        day += _days(1)
    return day


def add_working_days(start: dt.date, days: int) -> dt.date:
    """The ``days``-th working day after ``start`` ("within N working days of" a date;
    the day itself is not counted). Negative ``days`` counts back. SEND Regs 2014 reg 2."""
    step = 1 if days >= 0 else -1
    day, remaining = start, abs(days)
    while remaining:
        day += _days(step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (negative if ``end`` is
    earlier), so that ``working_days_between(d, add_working_days(d, n)) == n``.
    SEND Regs 2014 reg 2."""
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += _days(1)
        count += is_working_day(day)
    return count


# ---------------------------------------------------------------------------
# The review cycle
# ---------------------------------------------------------------------------


def next_review_due(
    *,
    plan_first_issued: dt.date | None = None,
    last_review_meeting: dt.date | None = None,
    durations: StatutoryDurations = LEGAL_DEFAULTS,
) -> dt.date:
    """Last day for the next review: within the 12 months starting with the day the plan
    was first issued, then with the day of the last review. Amending the plan does not
    restart the period, so no amendment date is taken. CFA 2014 s44(1).

    The review's date is taken to be its meeting (the earlier, safer reading of "the date
    on which the plan was last reviewed"; the LA's decision follows within 4 weeks)."""
    if last_review_meeting is not None:
        if plan_first_issued is not None and last_review_meeting < plan_first_issued:
            raise ValueError("last_review_meeting is before the plan was first issued")
        start = last_review_meeting
    elif plan_first_issued is not None:
        start = plan_first_issued
    else:
        raise ValueError("next_review_due needs plan_first_issued or last_review_meeting")
    return _last_day_of_months_period(start, durations.review_interval_months)


def under_five_review_window(
    last_review: dt.date, *, durations: StatutoryDurations = LEGAL_DEFAULTS
) -> DateWindow:
    """For a child under 5, when a further review should be considered: from 3 months
    after the last review (or first issue) to the end of the 6 months starting with it.
    Guidance, not a duty; these reviews are not bound by the invitation and advice rules.
    CoP 9.178."""
    return DateWindow(
        start=_months_after(last_review, durations.under_five_min_months),
        end=_last_day_of_months_period(last_review, durations.under_five_max_months),
    )


def termly_list_due(
    term_start: dt.date, *, durations: StatutoryDurations = LEGAL_DEFAULTS
) -> dt.date:
    """Last day to send settings (and health and social care) the list of reviews due
    next term: at least 2 weeks before the term starts. CoP 9.172."""
    return term_start - _weeks(durations.termly_list_weeks)


def meeting_notice_by(
    meeting: dt.date, *, durations: StatutoryDurations = LEGAL_DEFAULTS
) -> dt.date:
    """Last day to give notice of the review meeting: at least 2 weeks before it.
    SEND Regs 2014 regs 20(3), 21(3)."""
    return meeting - _weeks(durations.notice_weeks)


def advice_circulation_by(
    meeting: dt.date, *, durations: StatutoryDurations = LEGAL_DEFAULTS
) -> dt.date:
    """Last day to circulate the advice to everyone invited: at least 2 weeks before the
    meeting. SEND Regs 2014 regs 20(4), 21(4); CoP 9.176."""
    return meeting - _weeks(durations.advice_circulation_weeks)


def report_due(meeting: dt.date, *, durations: StatutoryDurations = LEGAL_DEFAULTS) -> dt.date:
    """Last day to send the report of the meeting: within 2 weeks of it.
    SEND Regs 2014 regs 20(7), 21(7)."""
    return meeting + _weeks(durations.report_weeks)


def decision_due(meeting: dt.date, *, durations: StatutoryDurations = LEGAL_DEFAULTS) -> dt.date:
    """Last day to notify the LA's decision (maintain, amend or cease): within 4 weeks of
    the meeting. SEND Regs 2014 regs 20-21; CoP 9.176."""
    return meeting + _weeks(durations.decision_weeks)


def amendment_notice_due(
    meeting: dt.date, *, durations: StatutoryDurations = LEGAL_DEFAULTS
) -> dt.date:
    """Last day to send the proposed amendments (with the current plan and evidence): they
    go with the decision, within the same 4 weeks of the meeting.
    R (L, M and P) v Devon CC [2022] EWHC 493 (Admin); SEND Regs 2014 reg 22(2)."""
    return decision_due(meeting, durations=durations)


def representations_end(
    amendment_notice_served: dt.date, *, durations: StatutoryDurations = LEGAL_DEFAULTS
) -> dt.date:
    """Last day of the family's window for representations on the proposed amendments: at
    least 15 days beginning with (so counting) the day the notice was served.
    SEND Regs 2014 reg 22(2)(c)."""
    return amendment_notice_served + _days(durations.representations_days - 1)


@overload
def served_on(sent: dt.date, posted: dt.date | None) -> dt.date: ...
@overload
def served_on(sent: None, posted: dt.date | None) -> None: ...
def served_on(sent: dt.date | None, posted: dt.date | None) -> dt.date | None:
    """The day a notice reached the family, which their own time counts from (comments on
    proposed amendments, mediation, appeal): the day it was sent or, where a family member
    gets letters by post, the day the last copy was posted, if that was later. The law
    counts each from the notice being served or sent (SEND Regs 2014 reg 22(2)(c); HESC
    Rules 2008 r.20(1)(c)): a letter still to be printed has not been, so the family's time
    is never shortened by the days it waited. The council's own deadlines still count from
    the day it sent the notice."""
    if sent is None or posted is None:
        return sent
    return max(sent, posted)


def final_plan_due(
    amendment_notice_sent: dt.date, *, durations: StatutoryDurations = LEGAL_DEFAULTS
) -> dt.date:
    """Last day to issue the final amended plan (or the notice of a decision not to amend,
    with reasons): within 8 weeks of the LA sending the copy of the plan with the proposed
    amendments. SEND Regs 2014 reg 22(3)-(4).

    The law counts from the notice that was sent, however late it went: a late notice
    makes the LA late (``amendments_overall_by``), it never moves this date earlier."""
    return amendment_notice_sent + _weeks(durations.final_plan_weeks)


def amendments_overall_by(
    meeting: dt.date, *, durations: StatutoryDurations = LEGAL_DEFAULTS
) -> dt.date:
    """The day the whole amendment should be done by had each step gone on its last day:
    the proposed amendments within 4 weeks of the meeting, then the final plan within 8
    weeks of them, so 12 weeks from the meeting (Devon [2022]). A measure of the LA's
    lateness, not a date anyone is given: once the notice is late it cannot be met."""
    return final_plan_due(amendment_notice_due(meeting, durations=durations),
                          durations=durations)


# ---------------------------------------------------------------------------
# Year groups and phase transfers
# ---------------------------------------------------------------------------


def age_on(date_of_birth: dt.date, on_date: dt.date) -> int:
    """Age in whole years on ``on_date``. Someone born on 29 February reaches a new age on
    1 March in a common year (Family Law Reform Act 1969 s9: at the start of the
    anniversary, which a common year lacks until 1 March)."""
    before_birthday = (on_date.month, on_date.day) < (date_of_birth.month, date_of_birth.day)
    return on_date.year - date_of_birth.year - before_birthday


def school_year_start(on_date: dt.date) -> dt.date:
    """1 September that starts the school year containing ``on_date``."""
    year = on_date.year if on_date.month >= 9 else on_date.year - 1
    return dt.date(year, 9, 1)


def year_group(date_of_birth: dt.date, on_date: dt.date, *, offset: int = 0) -> int:
    """National curriculum year on ``on_date``, from age on the 31 August before the school
    year starts: 4 -> Reception (0), 5 -> Year 1, ... 15 -> Year 11, 16 -> Year 12.
    Below Reception is negative (-1 is the year before Reception). ``offset`` moves a
    child educated out of their year group (e.g. -1 for a summer-born child who started
    Reception a year late). Education Act 1996 s579 (school year); docs/architecture.md (Words)."""
    start = school_year_start(on_date)
    return age_on(date_of_birth, start - _days(1)) - 4 + offset


_FRIDAY = 4  # as date.weekday() numbers it


def _last_friday_of_june(year: int) -> dt.date:
    june_30 = dt.date(year, 6, 30)
    return june_30 - _days((june_30.weekday() - _FRIDAY) % 7)


def _school_leaving_year(date_of_birth: dt.date) -> int:
    """The calendar year whose June ends the school year in which the child turns 16: one
    born September to December turns 16 in the autumn, so that school year ends the next
    summer. (29 February birthdays fall in the same school year either way.)"""
    return date_of_birth.year + 16 + (1 if date_of_birth.month >= 9 else 0)


def compulsory_school_age_ends(date_of_birth: dt.date) -> dt.date:
    """The day a child stops being of compulsory school age: the last Friday in June of the
    school year in which they turn 16, even when their birthday falls after it in July or
    August (Education Act 1996 s8(3)-(4); Education (School Leaving Date) Order 1997). From
    this day they are a young person (CFA 2014 s83(2)) and the rights and decisions about
    their plan are their own (CFA 2014 s19; SEND Code of Practice 8.13-8.17), where they
    have the capacity to make them (Mental Capacity Act 2005; CFA 2014 s80)."""
    return _last_friday_of_june(_school_leaving_year(date_of_birth))


def born_before_school_age_ended(on_date: dt.date) -> dt.date:
    """The date of birth before which a child has passed the end of compulsory school age
    (`compulsory_school_age_ends`) by ``on_date``, and on or after which they have not: a
    database compares a date of birth with it rather than working out last Fridays."""
    year = on_date.year if on_date >= _last_friday_of_june(on_date.year) else on_date.year - 1
    return dt.date(year - 16, 9, 1)


def is_preparing_for_adulthood(
    year: int, *, durations: StatutoryDurations = LEGAL_DEFAULTS
) -> bool:
    """Whether a review must consider preparation for adulthood and independent living:
    in or beyond Year 9. SEND Regs 2014 regs 20(6), 21(6)."""
    return year >= durations.preparing_for_adulthood_from_year


def is_under_five(date_of_birth: dt.date, on_date: dt.date) -> bool:
    """Whether the child is under 5 on ``on_date`` (CoP 9.178's extra reviews)."""
    return age_on(date_of_birth, on_date) < 5


class SettingType(enum.StrEnum):
    """The kind of setting a child attends, which decides when they change phase."""

    EARLY_YEARS = "early_years"
    INFANT = "infant"
    JUNIOR = "junior"
    PRIMARY = "primary"
    FIRST = "first"  # first school in a three-tier area
    MIDDLE = "middle"
    SECONDARY = "secondary"
    POST_16 = "post_16"


class TransferKind(enum.StrEnum):
    """The phase transfers of SEND Regs 2014 reg 18(3), plus reg 18(2)'s post-16 move."""

    EARLY_YEARS_TO_SCHOOL = "early_years_to_school"
    INFANT_TO_JUNIOR = "infant_to_junior"
    PRIMARY_TO_MIDDLE = "primary_to_middle"
    PRIMARY_TO_SECONDARY = "primary_to_secondary"
    MIDDLE_TO_SECONDARY = "middle_to_secondary"
    SECONDARY_TO_POST_16 = "secondary_to_post_16"
    POST_16_TO_POST_16 = "post_16_to_post_16"


# The usual last year group in each kind of setting; areas differ (middle schools run
# Years 4-7, 5-8 or 6-8), so callers pass ``final_year`` where theirs does.
_FINAL_YEAR = {
    SettingType.EARLY_YEARS: -1,
    SettingType.INFANT: 2,
    SettingType.JUNIOR: 6,
    SettingType.PRIMARY: 6,
    SettingType.FIRST: 4,
    SettingType.MIDDLE: 8,
    SettingType.SECONDARY: 11,
}

_TRANSFER_FROM = {
    SettingType.EARLY_YEARS: TransferKind.EARLY_YEARS_TO_SCHOOL,
    SettingType.INFANT: TransferKind.INFANT_TO_JUNIOR,
    SettingType.JUNIOR: TransferKind.PRIMARY_TO_SECONDARY,  # a junior school is a primary school
    SettingType.PRIMARY: TransferKind.PRIMARY_TO_SECONDARY,
    SettingType.FIRST: TransferKind.PRIMARY_TO_MIDDLE,
    SettingType.MIDDLE: TransferKind.MIDDLE_TO_SECONDARY,
    SettingType.SECONDARY: TransferKind.SECONDARY_TO_POST_16,
}

# Where the setting is not known, the two-tier pattern most of England follows. Year 2 is
# absent on purpose: infant to junior happens only where the setting is an infant school.
_TWO_TIER = {
    -1: TransferKind.EARLY_YEARS_TO_SCHOOL,
    6: TransferKind.PRIMARY_TO_SECONDARY,
    11: TransferKind.SECONDARY_TO_POST_16,
}


def transfer_for_year(
    year: int, *, setting: SettingType | None = None, final_year: int | None = None
) -> TransferKind | None:
    """Which phase transfer (if any) happens at the end of the school year in which the
    child is in national curriculum ``year``, i.e. is due for review this school year.

    Without ``setting``: the two-tier pattern (the year before Reception -> school, Year 6
    -> secondary, Year 11 -> post-16). With it: the transfer out of that kind of setting
    in its last year, ``final_year`` overriding the usual one. Post-16 moves at another
    time are dated, not yearly: see ``post16_transfer_deadline``. SEND Regs 2014
    reg 18(1), (3)."""
    if setting is None:
        return _TWO_TIER.get(year)
    if setting not in _TRANSFER_FROM:
        return None
    last = _FINAL_YEAR[setting] if final_year is None else final_year
    return _TRANSFER_FROM[setting] if year == last else None


def phase_transfer_deadline(
    kind: TransferKind,
    transfer_date: dt.date,
    *,
    durations: StatutoryDurations = LEGAL_DEFAULTS,
) -> dt.date:
    """Last day to have reviewed and amended the plan naming the next setting: before
    31 March in the calendar year of the transfer for secondary school to post-16, before
    15 February in it for every other phase, so 30 March / 14 February. For a post-16 to
    post-16 move at another time, at least 5 months before it. SEND Regs 2014 reg 18.

    The regulation says "before"; the Code (9.179) says "by". The regulation binds, so the
    clock uses the day before."""
    if kind is TransferKind.POST_16_TO_POST_16:
        return post16_transfer_deadline(transfer_date, durations=durations)
    month, day = (
        durations.post16_transfer_before
        if kind is TransferKind.SECONDARY_TO_POST_16
        else durations.phase_transfer_before
    )
    return dt.date(transfer_date.year, month, day) - _days(1)


def post16_transfer_deadline(
    transfer_date: dt.date, *, durations: StatutoryDurations = LEGAL_DEFAULTS
) -> dt.date:
    """Last day to have reviewed and amended the plan naming the new post-16 institution
    when a young person moves between post-16 institutions other than at a phase
    transfer: at least 5 months before the move. SEND Regs 2014 reg 18(2)."""
    return _months_before(transfer_date, durations.post16_transfer_notice_months)


@dataclass(frozen=True)
class PhaseTransfer:
    """A phase transfer and the last day for the plan to name the next setting."""

    kind: TransferKind
    transfer_date: dt.date
    deadline: dt.date


def phase_transfer_due(
    date_of_birth: dt.date,
    on_date: dt.date,
    *,
    setting: SettingType | None = None,
    final_year: int | None = None,
    year_offset: int = 0,
    durations: StatutoryDurations = LEGAL_DEFAULTS,
) -> PhaseTransfer | None:
    """The phase transfer due in the school year containing ``on_date`` (the move on the
    following 1 September), with its deadline; None if the child does not change phase
    this year. SEND Regs 2014 reg 18(1)."""
    year = year_group(date_of_birth, on_date, offset=year_offset)
    kind = transfer_for_year(year, setting=setting, final_year=final_year)
    if kind is None:
        return None
    transfer_date = dt.date(school_year_start(on_date).year + 1, 9, 1)
    return PhaseTransfer(
        kind=kind,
        transfer_date=transfer_date,
        deadline=phase_transfer_deadline(kind, transfer_date, durations=durations),
    )


# ---------------------------------------------------------------------------
# Disagreement: mediation and appeal
# ---------------------------------------------------------------------------


def mediation_contact_by(
    decision_sent: dt.date, *, durations: StatutoryDurations = LEGAL_DEFAULTS
) -> dt.date:
    """Last day for the family to contact a mediation adviser: within 2 months after the
    written notice of the decision was sent (not needed for an appeal only about the
    placement). SEND Regs 2014 reg 33; CFA 2014 s55."""
    return _months_after(decision_sent, durations.mediation_contact_months)


def mediation_certificate_due(
    event: dt.date, *, durations: StatutoryDurations = LEGAL_DEFAULTS
) -> dt.date:
    """Last day for the mediation certificate: within 3 working days of the family saying
    they do not want mediation (SEND Regs 2014 reg 34), or of the mediation ending
    (reg 39). ``event`` is whichever of those happened."""
    return add_working_days(event, durations.mediation_certificate_working_days)


def mediation_held_by(
    la_informed: dt.date, *, durations: StatutoryDurations = LEGAL_DEFAULTS
) -> dt.date:
    """Last day for the mediation to take place: within 30 days of the LA being told the
    family wants it. SEND Regs 2014 regs 36-37."""
    return la_informed + _days(durations.mediation_held_days)


def _in_appeal_holidays(day: dt.date) -> bool:
    """25 December to 1 January inclusive, or any day in August (HESC Rules 2008
    r.12(3)(a))."""
    return day.month == 8 or (day.month, day.day) >= (12, 25) or (day.month, day.day) == (1, 1)


def _tribunal_extension(deadline: dt.date) -> dt.date:
    # HESC Rules 2008 r.12 (calculating time), as in force (the 2020 amendment left only
    # special educational needs cases in paragraph (3)):
    # - r.12(2): a time that ends on a day other than a working day is met by the next
    #   working day;
    # - r.12(3)(a): in a special educational needs case, a time for the notice of appeal
    #   under r.20 that ends on 25 December to 1 January, or on any day in August, is met
    #   by the first working day after 1 January or 31 August.
    # Read together: the time ends on the last day the notice is in time, so a limit that
    # r.12(2) carries from a weekend into August or the Christmas window is carried on by
    # r.12(3)(a) (Saturday 31 July 2027 -> Monday 2 August -> 1 September). The school and
    # Christmas holidays never shorten an appeal, and the plan is never ceased while the
    # family may still be in time. Both moves together give the first working day on or
    # after the limit that is outside those windows. (Earlier notes here called r.12(3)(a)
    # r.12(5): recheck the numbering on legislation.gov.uk whenever the Rules change.)
    while not is_working_day(deadline) or _in_appeal_holidays(deadline):
        deadline += _days(1)
    return deadline


def appeal_deadline(
    decision_sent: dt.date,
    mediation_certificate_issued: dt.date | None = None,
    *,
    durations: StatutoryDurations = LEGAL_DEFAULTS,
) -> dt.date:
    """Last day for the Tribunal to receive the appeal: 2 months after the written notice
    of the decision was sent or, if later, 1 month from the mediation certificate
    (HESC Rules 2008 r.20(1)(c)); either is moved on when it ends on a non-working day
    (r.12(2)), on 25 December-1 January or in August (r.12(3)(a)). The same for a notice
    to cease (CFA 2014 s45; s51(2)(f)) as for a decision after review."""
    limit = _months_after(decision_sent, durations.appeal_months)
    if mediation_certificate_issued is not None:
        _in_order(("the decision letter", decision_sent),
                  ("the mediation certificate", mediation_certificate_issued))
        limit = max(
            limit,
            _months_after(mediation_certificate_issued, durations.appeal_after_certificate_months),
        )
    # The move gives the first acceptable day on or after a limit, so it never brings a
    # date earlier and never reorders two: moving the later limit is moving each and
    # taking the later.
    return _tribunal_extension(limit)


def unopposed_appeal_plan_due(
    la_told_tribunal: dt.date, *, durations: StatutoryDurations = LEGAL_DEFAULTS
) -> dt.date:
    """Last day to issue the amended plan when the LA tells the Tribunal it will not oppose
    an appeal about the plan's contents: within 5 weeks of telling it.
    SEND Regs 2014 reg 45(4), as amended 2015."""
    return la_told_tribunal + _weeks(durations.unopposed_appeal_weeks)


class OrderRequirement(enum.StrEnum):
    """What a Tribunal order that finds for the family can require of the LA after a
    review's decision (SEND Regs 2014 reg 44(2)); an order may require more than one."""

    CONTINUE = "continue"  # continue to maintain the plan: reg 44(2)(g), (h)
    AMEND_PROVISION = "amend_provision"  # amend the needs or provision: reg 44(2)(e), (h)
    AMEND_PLACEMENT = "amend_placement"  # amend the school or college named: reg 44(2)(f)


def tribunal_order_due(
    requirement: OrderRequirement,
    order_made: dt.date,
    *,
    durations: StatutoryDurations = LEGAL_DEFAULTS,
) -> dt.date:
    """Last day to comply with a Tribunal order: to continue to maintain the plan, with
    immediate effect (the day of the order); to issue the plan amended as ordered, within
    5 weeks of the order for its needs or provision, within 2 weeks for the school or
    college (or type) it names. SEND Regs 2014 reg 44(1)-(2). Reg 44(3) excuses the
    limits where compliance is impractical for the family's own reasons; the LA records
    that as lateness with its reason, so the date stays the law's."""
    weeks = {
        OrderRequirement.CONTINUE: 0,
        OrderRequirement.AMEND_PROVISION: durations.order_amend_provision_weeks,
        OrderRequirement.AMEND_PLACEMENT: durations.order_amend_placement_weeks,
    }[requirement]
    return order_made + _weeks(weeks)


# ---------------------------------------------------------------------------
# The date a person is given
# ---------------------------------------------------------------------------


def reply_due(
    law_date: dt.date,
    asked_on: dt.date,
    *,
    meeting: dt.date | None = None,
    durations: StatutoryDurations = LEGAL_DEFAULTS,
) -> dt.date:
    """The date a person asked on ``asked_on`` is given to send their advice or views:
    the law's date when it leaves them at least 5 working days (``reply_working_days``);
    otherwise (it has passed, or is too close) 5 working days from the day they were
    asked, but no later than the last working day before the meeting, and never before
    the day they were asked. Whatever it gives, the law's date is still the LA's
    deadline: missing it is the LA's lateness, not theirs (issue #16)."""
    reasonable = add_working_days(asked_on, durations.reply_working_days)
    if meeting is not None:
        reasonable = min(reasonable, add_working_days(meeting, -1))
    return max(law_date, asked_on, reasonable)


# ---------------------------------------------------------------------------
# A review's dates at once
# ---------------------------------------------------------------------------


class Outcome(enum.StrEnum):
    """The LA's decision after a review, with the SEN2 codes (item 5.5, ReviewOutcome)."""

    AMEND = "A"
    CEASE = "C"
    MAINTAIN = "M"


class Whose(enum.StrEnum):
    """Who must act by a date: the LA (a deadline it can miss, and be late on), the family
    (a window they have, never "late"), someone else (the mediation adviser), or nobody
    (a date to know)."""

    LA = "la"
    FAMILY = "family"
    OTHERS = "others"
    INFO = "info"


@dataclass(frozen=True)
class Deadline:
    """One row for a page's list of dates."""

    key: str
    label: str
    due: dt.date
    rule: str
    whose: Whose


_LA, _FAMILY, _OTHERS, _INFO = Whose.LA, Whose.FAMILY, Whose.OTHERS, Whose.INFO

# key -> (plain-English label, rule, whose); the order breaks ties between equal dates.
_DEADLINE_ROWS = {
    "review_due": ("Review meeting due", "CFA 2014 s44(1)", _LA),
    "under_five_review_by": ("Under-5 review to consider by", "SEND Code of Practice 9.178",
                             _INFO),
    "notice_by": ("Send meeting invitations", "SEND Regs 2014 regs 20(3), 21(3)", _LA),
    "advice_circulated_by": ("Circulate advice", "SEND Regs 2014 regs 20(4), 21(4)", _LA),
    "report_due": ("Send the meeting report", "SEND Regs 2014 regs 20(7), 21(7)", _LA),
    "decision_due": ("Send the decision", "SEND Regs 2014 regs 20-21; CoP 9.176", _LA),
    "amendment_notice_due": (
        "Send the proposed amendments",
        "R (L, M and P) v Devon CC [2022] EWHC 493 (Admin)", _LA,
    ),
    "representations_end": ("Family's comments close", "SEND Regs 2014 reg 22(2)(c)", _FAMILY),
    "final_plan_due": ("Issue the final amended plan", "SEND Regs 2014 reg 22(3)-(4)", _LA),
    "amendments_overall_by": (
        "Final amended plan, 12 weeks from the meeting",
        "Devon [2022]: 4 weeks, then 8 (SEND Regs 2014 reg 22(3))", _LA,
    ),
    "phase_transfer_due": ("Name the next setting in the plan", "SEND Regs 2014 reg 18", _LA),
    "mediation_contact_by": ("Contact a mediation adviser", "SEND Regs 2014 reg 33", _FAMILY),
    "mediation_certificate_due": ("Mediation certificate (declined)", "SEND Regs 2014 reg 34",
                                  _OTHERS),
    "mediation_held_by": ("Hold mediation", "SEND Regs 2014 regs 36-37", _LA),
    "mediation_end_certificate_due": (
        "Mediation certificate (after mediation)", "SEND Regs 2014 reg 39", _OTHERS,
    ),
    "appeal_deadline": ("Appeal to the Tribunal",
                        "HESC Rules 2008 rr.12(2), 12(3)(a), 20(1)(c)", _FAMILY),
    "unopposed_plan_due": (
        "Issue the plan (appeal not opposed)", "SEND Regs 2014 reg 45(4)", _LA,
    ),
    "order_placement_due": (
        "Issue the plan naming the setting the Tribunal ordered", "SEND Regs 2014 reg 44(2)(f)",
        _LA,
    ),
    "order_provision_due": (
        "Issue the plan amended as the Tribunal ordered", "SEND Regs 2014 reg 44(2)(e), (h)",
        _LA,
    ),
    "following_review_due": ("Next review meeting due", "CFA 2014 s44(1)", _INFO),
}


@dataclass(frozen=True)
class ReviewDeadlines:
    """Every statutory date of one review that its facts allow; None where a fact is
    missing or the rule does not apply."""

    review_due: dt.date | None = None
    under_five_window: DateWindow | None = None
    notice_by: dt.date | None = None
    advice_circulated_by: dt.date | None = None
    report_due: dt.date | None = None
    decision_due: dt.date | None = None
    amendment_notice_due: dt.date | None = None
    representations_end: dt.date | None = None
    final_plan_due: dt.date | None = None
    amendments_overall_by: dt.date | None = None
    phase_transfer: PhaseTransfer | None = None
    mediation_contact_by: dt.date | None = None
    mediation_certificate_due: dt.date | None = None
    mediation_held_by: dt.date | None = None
    mediation_end_certificate_due: dt.date | None = None
    appeal_deadline: dt.date | None = None
    unopposed_plan_due: dt.date | None = None
    order_placement_due: dt.date | None = None
    order_provision_due: dt.date | None = None
    following_review_due: dt.date | None = None

    def as_list(self) -> list[Deadline]:
        """The dates that apply, earliest first, each with a label, its rule and whose."""
        values = {
            "under_five_review_by": self.under_five_window.end if self.under_five_window else None,
            "phase_transfer_due": self.phase_transfer.deadline if self.phase_transfer else None,
        }
        rows = []
        for order, (key, (label, rule, whose)) in enumerate(_DEADLINE_ROWS.items()):
            due = values[key] if key in values else getattr(self, key)
            if due is not None:
                rows.append((due, order, Deadline(key, label, due, rule, whose)))
        return [row for _, _, row in sorted(rows)]


def review_deadlines(
    *,
    plan_first_issued: dt.date | None = None,
    previous_review_meeting: dt.date | None = None,
    meeting: dt.date | None = None,
    outcome: Outcome | None = None,
    decision_sent: dt.date | None = None,
    amendment_notice_sent: dt.date | None = None,
    final_plan_sent: dt.date | None = None,
    decision_posted: dt.date | None = None,
    final_plan_posted: dt.date | None = None,
    mediation_declined: dt.date | None = None,
    mediation_requested: dt.date | None = None,
    mediation_ended: dt.date | None = None,
    mediation_certificate_issued: dt.date | None = None,
    la_told_tribunal_not_opposing: dt.date | None = None,
    tribunal_order_made: dt.date | None = None,
    order_requires: frozenset[OrderRequirement] = frozenset(),
    date_of_birth: dt.date | None = None,
    setting: SettingType | None = None,
    setting_final_year: int | None = None,
    year_offset: int = 0,
    post16_transfer_date: dt.date | None = None,
    durations: StatutoryDurations = LEGAL_DEFAULTS,
) -> ReviewDeadlines:
    """All the statutory dates of one review from whatever facts are known (all optional).

    - ``plan_first_issued`` / ``previous_review_meeting``: start this review's 12 months
      (CFA s44(1)); ``meeting`` starts the next one. ``final_plan_sent`` never does.
    - ``meeting``: notice, advice, report, decision (regs 20-21) and, for an amendment,
      the notice and the 12 weeks to the final plan (Devon).
    - ``amendment_notice_sent``: representations and the 8-week final plan (reg 22).
    - ``decision_posted`` / ``final_plan_posted``: the day the decision letter (with any
      proposed amendments) / the final plan was last posted to a family member who gets
      letters by post: the family's own time counts from it when later (``served_on``).
    - The appealable decision is the final amended plan (or notice not to amend) when
      ``outcome`` is AMEND, else the decision letter (maintain; cease, CFA s45); it starts
      mediation (regs 33-39) and the appeal (HESC Rules rr.12, 20).
    - ``tribunal_order_made`` with ``order_requires``: the LA's compliance (reg 44).
    - ``date_of_birth`` (+ ``setting``...): the phase transfer due in the school year of
      the meeting, else of the review's due date (reg 18(1)), and the under-5 window
      (CoP 9.178) when the child is under 5 at the start of the period.
      ``post16_transfer_date``: a post-16 move at another time (reg 18(2)).

    Facts in an order that cannot be true raise FactsOutOfOrder: every date given from a
    step falls on or after it, so none is given from a step that cannot have happened.
    """
    d = durations
    appealable = _appealable(outcome, decision_sent, final_plan_sent)
    _in_order(("the plan's first issue", plan_first_issued),
              ("the previous review meeting", previous_review_meeting),
              ("the review meeting", meeting),
              ("the decision letter", decision_sent))
    _in_order(("the review meeting", meeting),
              ("the proposed amendments", amendment_notice_sent),
              ("the final amended plan", final_plan_sent))
    _in_order(("the decision the family may appeal", appealable),
              ("the mediation certificate", mediation_certificate_issued),
              ("the Tribunal's order", tribunal_order_made))
    for name, fact in (("mediation being asked for", mediation_requested),
                       ("mediation being declined", mediation_declined),
                       ("the end of mediation", mediation_ended),
                       ("the local authority telling the Tribunal it will not oppose",
                        la_told_tribunal_not_opposing)):
        _in_order(("the decision the family may appeal", appealable), (name, fact))
    # Each value is the type of the ReviewDeadlines field its key names.
    values: dict[str, Any] = {}

    period_start = previous_review_meeting or plan_first_issued
    if period_start is not None:
        values["review_due"] = next_review_due(
            plan_first_issued=plan_first_issued,
            last_review_meeting=previous_review_meeting,
            durations=d,
        )
        if date_of_birth is not None and is_under_five(date_of_birth, period_start):
            values["under_five_window"] = under_five_review_window(period_start, durations=d)

    amending = outcome is Outcome.AMEND or amendment_notice_sent is not None
    if meeting is not None:
        values["notice_by"] = meeting_notice_by(meeting, durations=d)
        values["advice_circulated_by"] = advice_circulation_by(meeting, durations=d)
        values["report_due"] = report_due(meeting, durations=d)
        values["decision_due"] = decision_due(meeting, durations=d)
        values["following_review_due"] = next_review_due(
            plan_first_issued=plan_first_issued, last_review_meeting=meeting, durations=d
        )
        if amending:
            values["amendment_notice_due"] = amendment_notice_due(meeting, durations=d)
            values["amendments_overall_by"] = amendments_overall_by(meeting, durations=d)
    if amendment_notice_sent is not None:
        values["representations_end"] = representations_end(
            served_on(amendment_notice_sent, decision_posted), durations=d)
        values["final_plan_due"] = final_plan_due(amendment_notice_sent, durations=d)

    anchor = meeting or values.get("review_due")
    if post16_transfer_date is not None:
        values["phase_transfer"] = PhaseTransfer(
            kind=TransferKind.POST_16_TO_POST_16,
            transfer_date=post16_transfer_date,
            deadline=post16_transfer_deadline(post16_transfer_date, durations=d),
        )
    elif date_of_birth is not None and anchor is not None:
        values["phase_transfer"] = phase_transfer_due(
            date_of_birth,
            anchor,
            setting=setting,
            final_year=setting_final_year,
            year_offset=year_offset,
            durations=d,
        )

    # None exactly when `appealable` is: the same letter, as the family received it.
    appealable_served = _appealable(outcome, served_on(decision_sent, decision_posted),
                                    served_on(final_plan_sent, final_plan_posted))
    if appealable_served is not None:
        values["mediation_contact_by"] = mediation_contact_by(appealable_served, durations=d)
        values["appeal_deadline"] = appeal_deadline(
            appealable_served, mediation_certificate_issued, durations=d
        )
    if mediation_declined is not None:
        values["mediation_certificate_due"] = mediation_certificate_due(
            mediation_declined, durations=d
        )
    if mediation_requested is not None:
        values["mediation_held_by"] = mediation_held_by(mediation_requested, durations=d)
    if mediation_ended is not None:
        values["mediation_end_certificate_due"] = mediation_certificate_due(
            mediation_ended, durations=d
        )
    if la_told_tribunal_not_opposing is not None:
        values["unopposed_plan_due"] = unopposed_appeal_plan_due(
            la_told_tribunal_not_opposing, durations=d
        )
    if tribunal_order_made is not None:
        for requirement, key in ((OrderRequirement.AMEND_PLACEMENT, "order_placement_due"),
                                 (OrderRequirement.AMEND_PROVISION, "order_provision_due")):
            if requirement in order_requires:
                values[key] = tribunal_order_due(requirement, tribunal_order_made, durations=d)
    return ReviewDeadlines(**values)


def _appealable(outcome: Outcome | None, decision_sent: dt.date | None,
                final_plan_sent: dt.date | None) -> dt.date | None:
    """The date of the decision the family may appeal: for an amendment, the final plan or
    the notice not to amend; for maintain or cease, the decision letter."""
    if outcome is Outcome.AMEND:
        return final_plan_sent
    if outcome in (Outcome.MAINTAIN, Outcome.CEASE):
        return decision_sent
    return final_plan_sent or decision_sent


# ---------------------------------------------------------------------------
# Lateness: the LA's, as its own fact
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Lateness:
    """One of the LA's deadlines missed: done late, or not done and past. ``days`` is how
    late (to the day it was done, or to today)."""

    deadline: Deadline
    done_on: dt.date | None
    days: int


def lateness(
    deadlines: ReviewDeadlines, done_on: Mapping[str, dt.date | None], today: dt.date
) -> list[Lateness]:
    """Where the LA was late, earliest deadline first: each of its own deadlines done after
    the last day, or not done with the last day past. ``done_on`` gives, by key, the day
    each was met. The family's windows and others' dates are never the LA's lateness."""
    late = []
    for deadline in deadlines.as_list():
        if deadline.whose is not Whose.LA:
            continue
        done = done_on.get(deadline.key)
        until = done or today
        if until > deadline.due:
            late.append(Lateness(deadline, done, (until - deadline.due).days))
    return late


# ---------------------------------------------------------------------------
# The law's dates, and guidance
# ---------------------------------------------------------------------------

# Dates the law only asks the council to consider: never a duty missed.
_GUIDANCE_ONLY = {"under_five_review_by"}  # CoP 9.178: "should consider"


def review_is_statutory(*, record_of_support: bool, under_five_review: bool) -> bool:
    """Whether a review runs on the law's clock. A record of support is not an EHC plan, so
    no review of it is a duty (CFA 2014 s44 reviews EHC plans); a further review of a child
    under 5 is one the council should consider, and may be streamlined (CoP 9.178). Their
    dates are guidance: shown, never "Late"."""
    return not (record_of_support or under_five_review)


def is_statutory(key: str, *, review_statutory: bool = True) -> bool:
    """Whether the date ``key`` (a ReviewDeadlines row) of a review is a duty that can be
    missed, or guidance the council works to."""
    return review_statutory and key not in _GUIDANCE_ONLY


# ---------------------------------------------------------------------------
# Status for the GOV.UK tags
# ---------------------------------------------------------------------------


class DeadlineStatus(enum.StrEnum):
    """Where a deadline stands; ``tag_colour`` is the GOV.UK Frontend tag modifier."""

    LATE = "late"
    DUE_SOON = "due_soon"
    NOT_DUE = "not_due"
    DONE = "done"
    DONE_LATE = "done_late"
    GUIDANCE = "guidance"  # a date the law does not set: never late

    @property
    def tag_colour(self) -> str:
        return _TAG_COLOURS[self]

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_TAG_COLOURS = {
    DeadlineStatus.LATE: "red",
    DeadlineStatus.DUE_SOON: "yellow",
    DeadlineStatus.NOT_DUE: "blue",
    DeadlineStatus.DONE: "green",
    # Done, but the record must still show the law was broken (the DfE counts decisions
    # over 4 weeks), so not plain green.
    DeadlineStatus.DONE_LATE: "orange",
    DeadlineStatus.GUIDANCE: "grey",
}

_STATUS_LABELS = {
    DeadlineStatus.LATE: "Late",
    DeadlineStatus.DUE_SOON: "Due soon",
    DeadlineStatus.NOT_DUE: "Not due yet",
    DeadlineStatus.DONE: "Done",
    DeadlineStatus.DONE_LATE: "Done late",
    DeadlineStatus.GUIDANCE: "Guidance, not a legal deadline",
}


def deadline_status(
    due: dt.date,
    today: dt.date,
    *,
    done_on: dt.date | None = None,
    due_soon_days: int = 7,
    statutory: bool = True,
) -> DeadlineStatus:
    """Where a deadline stands on ``today``: done (on time or late) if ``done_on`` is
    given; else late once ``today`` is past ``due`` (the last permitted day), due soon
    within ``due_soon_days`` of it (the day itself included), otherwise not due. A date
    that is not ``statutory`` (see is_statutory) is guidance until done, never late."""
    if done_on is not None:
        return DeadlineStatus.DONE if done_on <= due or not statutory \
            else DeadlineStatus.DONE_LATE
    if not statutory:
        return DeadlineStatus.GUIDANCE
    if today > due:
        return DeadlineStatus.LATE
    if (due - today).days <= due_soon_days:
        return DeadlineStatus.DUE_SOON
    return DeadlineStatus.NOT_DUE
