-- Labour market per ISCO-08 occupation and month: vacancies received, open and filled, time to fill, job-seeker stock by duration, and tension over 12 rolling months; exact, before disclosure control.
-- occupation_isco: ISCO-08 4-digit occupation (dim_occupation, classification isco08), or '_T' for all occupations (including vacancies and job seekers without a 4-digit ISCO code).
-- month: Month (first day); stocks are at the end of the month.
-- vacancy_received_count: Vacancies received by Actiris in the month.
-- vacancy_open_count: Vacancies still open at the end of the month.
-- vacancy_filled_count: Vacancies closed as filled in the month.
-- median_days_to_fill: Median days between reception and closing of the vacancies filled in the month.
-- jobseeker_count: Stock of unemployed job seekers (DEI) at the end of the month.
-- jobseeker_lt6m_count: Stock unemployed for less than 6 months.
-- jobseeker_6_12m_count: Stock unemployed for 6 to 12 months.
-- jobseeker_1_2y_count: Stock unemployed for 1 to 2 years.
-- jobseeker_ge2y_count: Stock unemployed for 2 years or more.
-- jobseeker_ge1y_count: Stock unemployed for a year or more (jobseeker_1_2y_count + jobseeker_ge2y_count).
-- long_term_share: Share unemployed for a year or more: jobseeker_ge1y_count / jobseeker_count.
-- vacancy_received_12m_count: Vacancies received over the 12 months ending with this month (NULL before 12 months of data).
-- jobseeker_avg_12m_count: Average monthly job-seeker stock over the same 12 months.
-- tension_ratio: Job seekers per vacancy: jobseeker_avg_12m_count / vacancy_received_12m_count.
-- vacancy_per_jobseeker: Inverse of the tension: vacancy_received_12m_count / jobseeker_avg_12m_count.
WITH as_of AS (
    SELECT
        coalesce(getvariable('as_of_month')::DATE,
                 greatest((SELECT max(received_month) FROM core.fct_vacancy),
                          (SELECT max(month) FROM core.fct_jobseeker_month))) AS as_of_month
),
vacancies AS (
    SELECT v.* FROM core.fct_vacancy AS v, as_of AS a WHERE v.received_month <= a.as_of_month
),
jobseekers AS (
    SELECT row_number() OVER () AS row_id, j.*
    FROM core.fct_jobseeker_month AS j, as_of AS a WHERE j.month <= a.as_of_month
),
vacancy_groups AS (
    -- vacancies counted once per (occupation, reception month, closing month, filled): the
    -- month expansion below then works on a few thousand groups, not on every vacancy
    SELECT
        CASE WHEN length(v.occupation_isco) = 4 THEN v.occupation_isco END AS occupation_key,
        v.received_month,
        CAST(date_trunc('month', v.closed_date) AS DATE) AS closed_month,
        count(*) AS vacancy_count
    FROM vacancies AS v
    GROUP BY ALL
),
keyed_groups AS (
    SELECT g.*, k.market_key
    FROM vacancy_groups AS g,
    LATERAL (SELECT unnest([g.occupation_key, '_T']) AS market_key) AS k
    WHERE k.market_key IS NOT NULL
),
keyed_jobseekers AS (
    SELECT j.row_id, k.market_key
    FROM jobseekers AS j,
    LATERAL (SELECT unnest([CASE WHEN length(j.occupation_isco) = 4 THEN j.occupation_isco END, '_T']) AS market_key) AS k
    WHERE k.market_key IS NOT NULL
),
received AS (
    SELECT market_key, received_month AS month, sum(vacancy_count)::BIGINT AS vacancy_received_count
    FROM keyed_groups
    GROUP BY ALL
),
open_at_month_end AS (
    -- a vacancy is open at the end of every month from its reception to the month before it closed
    SELECT k.market_key, CAST(m AS DATE) AS month, sum(k.vacancy_count)::BIGINT AS vacancy_open_count
    FROM keyed_groups AS k
    CROSS JOIN as_of AS a,
    unnest(generate_series(
        k.received_month::TIMESTAMP,
        least(a.as_of_month,
              coalesce(CAST(k.closed_month - INTERVAL 1 MONTH AS DATE), a.as_of_month)
        )::TIMESTAMP,
        INTERVAL 1 MONTH)) AS g(m)
    GROUP BY ALL
),
filled AS (
    -- per occupation and for all ('_T') in one pass; the occupation set drops the vacancies
    -- without a 4-digit ISCO code, which only count in '_T'
    SELECT coalesce(occupation_key, '_T') AS market_key, month,
           vacancy_filled_count, median_days_to_fill
    FROM (
        SELECT
            CASE WHEN length(v.occupation_isco) = 4 THEN v.occupation_isco END AS occupation_key,
            CAST(date_trunc('month', v.closed_date) AS DATE) AS month,
            grouping(occupation_key) AS all_occupations,
            count(*) AS vacancy_filled_count, median(v.days_open) AS median_days_to_fill
        FROM vacancies AS v
        CROSS JOIN as_of AS a
        WHERE v.is_filled AND v.closed_date IS NOT NULL
          AND date_trunc('month', v.closed_date) <= a.as_of_month
        GROUP BY GROUPING SETS ((occupation_key, month), (month))
    )
    WHERE all_occupations = 1 OR occupation_key IS NOT NULL
),
stock AS (
    SELECT k.market_key, j.month,
           sum(j.jobseeker_count) AS jobseeker_count,
           coalesce(sum(j.jobseeker_count) FILTER (WHERE j.duration_band = 'lt6m'), 0) AS jobseeker_lt6m_count,
           coalesce(sum(j.jobseeker_count) FILTER (WHERE j.duration_band = '6_12m'), 0) AS jobseeker_6_12m_count,
           coalesce(sum(j.jobseeker_count) FILTER (WHERE j.duration_band = '1_2y'), 0) AS jobseeker_1_2y_count,
           coalesce(sum(j.jobseeker_count) FILTER (WHERE j.duration_band = 'ge2y'), 0) AS jobseeker_ge2y_count
    FROM keyed_jobseekers AS k JOIN jobseekers AS j USING (row_id)
    GROUP BY ALL
),
bounds AS (
    SELECT
        least((SELECT min(received_month) FROM vacancies), (SELECT min(month) FROM jobseekers)) AS first_month,
        (SELECT as_of_month FROM as_of) AS last_month
),
months AS (
    SELECT CAST(m AS DATE) AS month
    FROM bounds, unnest(generate_series(first_month::TIMESTAMP, last_month::TIMESTAMP, INTERVAL 1 MONTH)) AS g(m)
),
markets AS (
    SELECT DISTINCT market_key FROM keyed_groups
    UNION
    SELECT DISTINCT market_key FROM keyed_jobseekers
),
grid AS (
    SELECT
        mk.market_key,
        mo.month,
        coalesce(r.vacancy_received_count, 0) AS vacancy_received_count,
        coalesce(o.vacancy_open_count, 0) AS vacancy_open_count,
        coalesce(f.vacancy_filled_count, 0) AS vacancy_filled_count,
        f.median_days_to_fill,
        coalesce(s.jobseeker_count, 0) AS jobseeker_count,
        coalesce(s.jobseeker_lt6m_count, 0) AS jobseeker_lt6m_count,
        coalesce(s.jobseeker_6_12m_count, 0) AS jobseeker_6_12m_count,
        coalesce(s.jobseeker_1_2y_count, 0) AS jobseeker_1_2y_count,
        coalesce(s.jobseeker_ge2y_count, 0) AS jobseeker_ge2y_count
    FROM markets AS mk
    CROSS JOIN months AS mo
    LEFT JOIN received AS r ON r.market_key = mk.market_key AND r.month = mo.month
    LEFT JOIN open_at_month_end AS o ON o.market_key = mk.market_key AND o.month = mo.month
    LEFT JOIN filled AS f ON f.market_key = mk.market_key AND f.month = mo.month
    LEFT JOIN stock AS s ON s.market_key = mk.market_key AND s.month = mo.month
),
rolling AS (
    SELECT
        g.*,
        count(*) OVER w AS months_in_window,
        sum(g.vacancy_received_count) OVER w AS received_12m,
        sum(g.jobseeker_count) OVER w / 12.0 AS jobseeker_avg_12m
    FROM grid AS g
    WINDOW w AS (PARTITION BY g.market_key ORDER BY g.month ROWS BETWEEN 11 PRECEDING AND CURRENT ROW)
)
SELECT
    r.market_key AS occupation_isco,
    r.month,
    r.vacancy_received_count,
    r.vacancy_open_count,
    r.vacancy_filled_count,
    r.median_days_to_fill,
    r.jobseeker_count,
    r.jobseeker_lt6m_count,
    r.jobseeker_6_12m_count,
    r.jobseeker_1_2y_count,
    r.jobseeker_ge2y_count,
    r.jobseeker_1_2y_count + r.jobseeker_ge2y_count AS jobseeker_ge1y_count,
    jobseeker_ge1y_count / nullif(r.jobseeker_count, 0) AS long_term_share,
    CASE WHEN r.months_in_window = 12 THEN r.received_12m END AS vacancy_received_12m_count,
    CASE WHEN r.months_in_window = 12 THEN r.jobseeker_avg_12m END AS jobseeker_avg_12m_count,
    CASE WHEN r.months_in_window = 12 THEN r.jobseeker_avg_12m / nullif(r.received_12m, 0) END AS tension_ratio,
    CASE WHEN r.months_in_window = 12 THEN r.received_12m / nullif(r.jobseeker_avg_12m, 0) END AS vacancy_per_jobseeker
FROM rolling AS r
