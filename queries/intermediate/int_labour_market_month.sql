-- Labour market per market and month, written once for both labour-market marts: vacancies received, open and filled, time to fill, job-seeker stock by duration, and tension over 12 rolling months; a market is an ISCO-08 occupation or a pool's occupations (ISCO-08 or ROME), '_T' the whole market; exact, internal (not published).
-- market_type: 'occupation' (read by mart_labour_market_occupation) or 'pool' (read by mart_labour_market_pool).
-- market_key: ISCO-08 4-digit code (occupation) or pool_id (pool), or '_T' for the whole labour market of that market type (every vacancy and job seeker, with or without a code).
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
-- How: each distinct (ISCO, ROME) pair of the facts is mapped once to the markets it counts in
-- (its 4-digit ISCO occupation; each pool whose bridge_pool_occupation holds its ISCO prefix or
-- its ROME code, once per pool); vacancies are grouped per pair, reception and closing month
-- before the mapping, so the month expansion works on groups, not on every vacancy.
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
    SELECT j.* FROM core.fct_jobseeker_month AS j, as_of AS a WHERE j.month <= a.as_of_month
),
pairs AS (
    SELECT DISTINCT occupation_isco, occupation_rome FROM vacancies
    UNION
    SELECT DISTINCT occupation_isco, occupation_rome FROM jobseekers
),
pair_markets AS (
    -- the prefix match runs on the few distinct (ISCO, ROME) pairs, not on every fact row:
    -- an OR of starts_with cannot be hashed, and a nested loop over millions of rows is slow
    SELECT occupation_isco, occupation_rome, 'occupation' AS market_type, occupation_isco AS market_key
    FROM pairs WHERE length(occupation_isco) = 4
    UNION ALL
    SELECT DISTINCT p.occupation_isco, p.occupation_rome, 'pool', b.pool_id
    FROM pairs AS p
    JOIN core.bridge_pool_occupation AS b
      ON (b.classification = 'isco08' AND starts_with(p.occupation_isco, b.occupation_code))
      OR (b.classification = 'rome' AND p.occupation_rome = b.occupation_code)
),
whole_markets AS (
    SELECT * FROM (VALUES ('occupation', '_T'), ('pool', '_T')) AS w(market_type, market_key)
),
vacancy_groups AS (
    SELECT v.occupation_isco, v.occupation_rome, v.received_month,
           CAST(date_trunc('month', v.closed_date) AS DATE) AS closed_month,
           count(*) AS vacancy_count
    FROM vacancies AS v
    GROUP BY ALL
),
keyed_groups AS (
    -- pair_markets holds each (ISCO, ROME, market) once: a group goes to a market once
    SELECT m.market_type, m.market_key, g.received_month, g.closed_month, g.vacancy_count
    FROM vacancy_groups AS g
    JOIN pair_markets AS m
      ON g.occupation_isco IS NOT DISTINCT FROM m.occupation_isco
     AND g.occupation_rome IS NOT DISTINCT FROM m.occupation_rome
    UNION ALL
    SELECT w.market_type, w.market_key, g.received_month, g.closed_month, g.vacancy_count
    FROM vacancy_groups AS g CROSS JOIN whole_markets AS w
),
received AS (
    SELECT market_type, market_key, received_month AS month,
           sum(vacancy_count)::BIGINT AS vacancy_received_count
    FROM keyed_groups
    GROUP BY ALL
),
open_at_month_end AS (
    -- a vacancy is open at the end of every month from its reception to the month before it closed
    SELECT k.market_type, k.market_key, CAST(m AS DATE) AS month,
           sum(k.vacancy_count)::BIGINT AS vacancy_open_count
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
filled_vacancies AS (
    SELECT v.occupation_isco, v.occupation_rome, v.days_open,
           CAST(date_trunc('month', v.closed_date) AS DATE) AS month
    FROM vacancies AS v
    CROSS JOIN as_of AS a
    WHERE v.is_filled AND v.closed_date IS NOT NULL
      AND date_trunc('month', v.closed_date) <= a.as_of_month
),
filled AS (
    SELECT k.market_type, k.market_key, k.month,
           count(*) AS vacancy_filled_count, median(k.days_open) AS median_days_to_fill
    FROM (
        SELECT m.market_type, m.market_key, f.month, f.days_open
        FROM filled_vacancies AS f
        JOIN pair_markets AS m
          ON f.occupation_isco IS NOT DISTINCT FROM m.occupation_isco
         AND f.occupation_rome IS NOT DISTINCT FROM m.occupation_rome
        UNION ALL
        SELECT w.market_type, w.market_key, f.month, f.days_open
        FROM filled_vacancies AS f CROSS JOIN whole_markets AS w
    ) AS k
    GROUP BY ALL
),
keyed_jobseekers AS (
    -- pair_markets holds each (ISCO, ROME, market) once: a job-seeker row goes to a market once
    SELECT m.market_type, m.market_key, j.month, j.duration_band, j.jobseeker_count
    FROM jobseekers AS j
    JOIN pair_markets AS m
      ON j.occupation_isco IS NOT DISTINCT FROM m.occupation_isco
     AND j.occupation_rome IS NOT DISTINCT FROM m.occupation_rome
    UNION ALL
    SELECT w.market_type, w.market_key, j.month, j.duration_band, j.jobseeker_count
    FROM jobseekers AS j CROSS JOIN whole_markets AS w
),
stock AS (
    SELECT market_type, market_key, month,
           sum(jobseeker_count) AS jobseeker_count,
           coalesce(sum(jobseeker_count) FILTER (WHERE duration_band = 'lt6m'), 0) AS jobseeker_lt6m_count,
           coalesce(sum(jobseeker_count) FILTER (WHERE duration_band = '6_12m'), 0) AS jobseeker_6_12m_count,
           coalesce(sum(jobseeker_count) FILTER (WHERE duration_band = '1_2y'), 0) AS jobseeker_1_2y_count,
           coalesce(sum(jobseeker_count) FILTER (WHERE duration_band = 'ge2y'), 0) AS jobseeker_ge2y_count
    FROM keyed_jobseekers
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
    SELECT DISTINCT market_type, market_key FROM keyed_groups
    UNION
    SELECT DISTINCT market_type, market_key FROM stock
),
grid AS (
    SELECT
        mk.market_type,
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
    LEFT JOIN received AS r
      ON r.market_type = mk.market_type AND r.market_key = mk.market_key AND r.month = mo.month
    LEFT JOIN open_at_month_end AS o
      ON o.market_type = mk.market_type AND o.market_key = mk.market_key AND o.month = mo.month
    LEFT JOIN filled AS f
      ON f.market_type = mk.market_type AND f.market_key = mk.market_key AND f.month = mo.month
    LEFT JOIN stock AS s
      ON s.market_type = mk.market_type AND s.market_key = mk.market_key AND s.month = mo.month
),
rolling AS (
    SELECT
        g.*,
        count(*) OVER w AS months_in_window,
        sum(g.vacancy_received_count) OVER w AS received_12m,
        sum(g.jobseeker_count) OVER w / 12.0 AS jobseeker_avg_12m
    FROM grid AS g
    WINDOW w AS (PARTITION BY g.market_type, g.market_key ORDER BY g.month ROWS BETWEEN 11 PRECEDING AND CURRENT ROW)
)
SELECT
    r.market_type,
    r.market_key,
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
