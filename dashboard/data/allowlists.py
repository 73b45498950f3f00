"""The identifiers the dashboard may put into SQL text: marts, their columns, the official
relations, the restricted marts and the schemas an export may read.

Why a list of its own: these allowlists are the whole audit surface against SQL built from a
forged URL. Every query module checks its identifiers against them (and `sql.ident` locks them
a second time) before any SQL text is built.
"""

from __future__ import annotations

from typing import Final

TOTAL: Final = "_T"

# mart -> (dimension columns, measure columns). Measures have a `<measure>_flag` column in the
# published file (docs/marts.md). Only these identifiers can reach SQL text.
MARTS: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "mart_pool_participation": (
        ("pool_id", "period_type", "period", "period_start", "breakdown", "breakdown_value"),
        (
            "enrolment_count",
            "start_count",
            "trainee_count",
            "leaver_count",
            "completed_count",
            "dropped_out_count",
            "certified_count",
            "completion_rate",
            "dropout_rate",
            "certification_rate",
        ),
    ),
    "mart_pool_placement": (
        ("pool_id", "period_type", "period", "period_start", "sex"),
        (
            "leaver_count",
            "in_work_3m_count",
            "in_work_6m_count",
            "in_work_12m_count",
            "durable_job_count",
            "in_work_3m_rate",
            "in_work_6m_rate",
            "in_work_12m_rate",
            "durable_job_rate",
        ),
    ),
    "mart_labour_market_pool": (
        ("pool_id", "month"),
        (
            "vacancy_received_count",
            "vacancy_open_count",
            "jobseeker_count",
            "vacancy_received_12m_count",
            "jobseeker_avg_12m_count",
            "tension_ratio",
        ),
    ),
    "mart_labour_market_occupation": (
        ("occupation_isco", "month"),
        (
            "vacancy_received_count",
            "vacancy_open_count",
            "jobseeker_count",
            "vacancy_received_12m_count",
            "jobseeker_avg_12m_count",
            "tension_ratio",
        ),
    ),
    "mart_shortage_occupation": (
        ("year", "occupation_isco"),
        (
            "vacancy_received_count",
            "vacancy_filled_count",
            "fill_rate",
            "jobseeker_avg_count",
            "tension_ratio",
        ),
    ),
    "mart_pool_function": (
        ("pool_id", "function_id", "period_type", "period", "period_start"),
        ("activity_count", "participant_count", "hours", "hire_count"),
    ),
    "mart_supply_demand": (
        ("pool_id", "occupation_isco", "year"),
        (
            "completer_count",
            "vacancy_received_count",
            "jobseeker_avg_count",
            "gap_count",
            "vacancy_per_jobseeker",
        ),
    ),
    "mart_commune": (
        ("commune_nis", "year", "pool_id"),
        ("trainee_count", "jobseeker_avg_count", "vacancy_received_count", "trainee_per_1000"),
    ),
}
# Columns without a flag that a query may still return (plain attributes of a row).
EXTRA_COLUMNS: Final[dict[str, tuple[str, ...]]] = {
    "mart_shortage_occupation": ("is_shortage", "median_days_open"),
    "mart_supply_demand": ("is_shortage",),
    "mart_commune": ("population",),
}
PERIOD_TYPES: Final = ("month", "quarter", "year")
BREAKDOWNS: Final = ("total", "sex", "target_group", "age_band", "education_level", "commune")


# context relation -> columns a query may return. Official series are published as their
# publishers shaped them (value + flag + source), never mixed into the pools' marts.
CONTEXT: Final[dict[str, tuple[str, ...]]] = {
    "brussels_unemployment_rate": (
        "year",
        "period_start",
        "sex",
        "unemployment_rate",
        "flag",
        "dataset",
        "source",
        "last_update",
    ),
    "job_vacancy_rate_be": (
        "period",
        "period_start",
        "nace",
        "job_vacancy_rate",
        "flag",
        "source",
        "last_update",
    ),
    "actiris_jobseekers_commune": (
        "year",
        "commune_nis",
        "sex",
        "education",
        "jobseeker_count",
        "source",
    ),
    "official_series": (
        "dataset",
        "geo",
        "unit",
        "period",
        "period_start",
        "freq",
        "value",
        "flag",
        "source",
        "last_update",
        "file_name",
    ),
}


# restricted mart -> (dimension columns, measure columns); each measure has `<measure>_flag`.
# Finer detail than the public marts (programme x month) under primary suppression only: it is
# read for one pool at a time, the pool of the logged-in manager (dashboard/auth.py decides).
RESTRICTED: Final[dict[str, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "mart_programme_month": (
        ("pool_id", "programme_id", "programme_name", "month", "period"),
        (
            "enrolment_count",
            "start_count",
            "leaver_count",
            "completed_count",
            "dropped_out_count",
            "certified_count",
        ),
    ),
}


# Schemas an export may read: the public marts, the dimensions and the metadata. Never
# `restricted` (one pool's finer detail) nor anything else a future publisher adds.
EXPORT_SCHEMAS: Final = ("marts", "core", "meta")
