-- Supply and demand per pool, occupation and year: the pool's completers beside the vacancies received and job seekers of its occupations, and the gap that says where a pool should train more; exact, before disclosure control.
-- pool_id: Pool (dim_pool.pool_id).
-- occupation_isco: One of the pool's ISCO-08 occupations (bridge_pool_occupation), or '_T' for all the pool's occupations (ISCO and ROME, each vacancy once).
-- year: Calendar year.
-- completer_count: Enrolments of the pool completed (whole programme) in the year; on the '_T' row only, NULL on occupation rows because programmes are not mapped to occupations.
-- vacancy_received_count: Vacancies received in the year.
-- jobseeker_avg_count: Average monthly job-seeker stock over the months of the year covered by the job-seeker data.
-- is_shortage: Occupation rows: shortage occupation that year (mart_shortage_occupation); '_T' row: NULL.
-- gap_count: vacancy_received_count - jobseeker_avg_count - completer_count (0 when NULL): positive means more vacancies than available job seekers and new completers.
-- vacancy_per_jobseeker: vacancy_received_count / jobseeker_avg_count.
WITH as_of AS (
    SELECT
        coalesce(getvariable('as_of_month')::DATE,
                 (SELECT max(month) FROM marts.mart_labour_market_pool)) AS as_of_month
),
stock_months AS (
    -- months the job-seeker file covers: averages are over these, not over months without data
    SELECT DISTINCT j.month FROM core.fct_jobseeker_month AS j, as_of AS a
    WHERE j.month <= a.as_of_month
),
completers AS (
    SELECT e.pool_id, year(e.end_date) AS year, count(*) AS completer_count
    FROM core.fct_enrolment AS e, as_of AS a
    WHERE e.is_completed AND e.end_date IS NOT NULL AND e.end_month <= a.as_of_month
    GROUP BY ALL
),
pool_rows AS (
    SELECT
        l.pool_id,
        '_T' AS occupation_isco,
        year(l.month) AS year,
        sum(l.vacancy_received_count) AS vacancy_received_count,
        avg(l.jobseeker_count) FILTER (WHERE l.month IN (SELECT month FROM stock_months)) AS jobseeker_avg_count,
        CAST(NULL AS BOOLEAN) AS is_shortage
    FROM marts.mart_labour_market_pool AS l
    WHERE l.pool_id <> '_T'
    GROUP BY ALL
),
pool_occupations AS (
    SELECT DISTINCT b.pool_id, o.occupation_isco
    FROM core.bridge_pool_occupation AS b
    JOIN (SELECT DISTINCT occupation_isco FROM marts.mart_labour_market_occupation
          WHERE occupation_isco <> '_T') AS o
      ON b.classification = 'isco08' AND starts_with(o.occupation_isco, b.occupation_code)
),
occupation_rows AS (
    SELECT
        po.pool_id,
        l.occupation_isco,
        year(l.month) AS year,
        sum(l.vacancy_received_count) AS vacancy_received_count,
        avg(l.jobseeker_count) FILTER (WHERE l.month IN (SELECT month FROM stock_months)) AS jobseeker_avg_count
    FROM pool_occupations AS po
    JOIN marts.mart_labour_market_occupation AS l USING (occupation_isco)
    GROUP BY ALL
),
combined AS (
    SELECT r.*, c.completer_count
    FROM pool_rows AS r
    LEFT JOIN completers AS c USING (pool_id, year)
    UNION ALL BY NAME
    SELECT r.*, s.is_shortage, CAST(NULL AS BIGINT) AS completer_count
    FROM occupation_rows AS r
    LEFT JOIN marts.mart_shortage_occupation AS s USING (year, occupation_isco)
)
SELECT
    pool_id,
    occupation_isco,
    year,
    CASE WHEN occupation_isco = '_T' THEN coalesce(completer_count, 0) END AS completer_count,
    vacancy_received_count,
    jobseeker_avg_count,
    is_shortage,
    vacancy_received_count - jobseeker_avg_count - coalesce(completer_count, 0) AS gap_count,
    vacancy_received_count / nullif(jobseeker_avg_count, 0) AS vacancy_per_jobseeker
FROM combined
