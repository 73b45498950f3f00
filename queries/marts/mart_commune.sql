-- Commune figures for the map, per Brussels commune (and the region), year and pool: trainees resident, job seekers resident, vacancies by workplace, per 1000 inhabitants; exact, before disclosure control.
-- commune_nis: NIS code of a Brussels commune (dim_commune), or '04000' for the Brussels-Capital Region (the 19 communes together).
-- year: Calendar year.
-- pool_id: Pool (dim_pool.pool_id), or '_T' for all pools / the whole labour market.
-- trainee_count: Distinct persons resident in the commune with an enrolment active in the year (in the pool).
-- jobseeker_avg_count: Average monthly job-seeker stock resident in the commune over the months of the year covered (pool rows: the pool's occupations).
-- vacancy_received_count: Vacancies received in the year for a workplace in the commune (pool rows: the pool's occupations).
-- population: Population of the commune (dim_commune); the region's is the sum.
-- trainee_per_1000: trainee_count * 1000 / population.
WITH as_of AS (
    SELECT
        coalesce(getvariable('as_of_month')::DATE,
                 greatest((SELECT max(received_month) FROM core.fct_vacancy),
                          (SELECT max(month) FROM core.fct_jobseeker_month),
                          (SELECT max(start_month) FROM core.fct_enrolment))) AS as_of_month
),
communes AS (
    SELECT commune_nis, population FROM core.dim_commune
    UNION ALL
    SELECT '04000', sum(population) FROM core.dim_commune
),
years AS (
    SELECT DISTINCT y AS year
    FROM (
        SELECT year(received_date) AS y FROM core.fct_vacancy
        UNION ALL SELECT year(month) FROM core.fct_jobseeker_month
        UNION ALL SELECT year(start_date) FROM core.fct_enrolment
    ), as_of AS a
    WHERE y <= year(a.as_of_month)
),
pools AS (
    SELECT pool_id FROM core.dim_pool UNION ALL SELECT '_T'
),
trainees AS (
    SELECT c.commune_key AS commune_nis, y.year, k.pool_key AS pool_id,
           count(DISTINCT e.person_id) AS trainee_count
    FROM core.fct_enrolment AS e
    JOIN years AS y
      ON e.start_date < make_date(y.year + 1, 1, 1)
     AND (e.end_date IS NULL OR e.end_date >= make_date(y.year, 1, 1)),
    LATERAL (SELECT unnest([e.commune_nis, '04000']) AS commune_key) AS c,
    LATERAL (SELECT unnest([e.pool_id, '_T']) AS pool_key) AS k
    WHERE e.is_brussels_resident
    GROUP BY ALL
),
jobseekers AS (
    SELECT row_number() OVER () AS row_id, j.*
    FROM core.fct_jobseeker_month AS j, as_of AS a WHERE j.month <= a.as_of_month
),
occupation_pools AS (
    -- the prefix match runs on the few distinct (ISCO, ROME) pairs, not on every fact row:
    -- an OR of starts_with cannot be hashed, and a nested loop over millions of rows is slow
    SELECT DISTINCT o.occupation_isco, o.occupation_rome, b.pool_id
    FROM (
        SELECT DISTINCT occupation_isco, occupation_rome FROM core.fct_vacancy
        UNION
        SELECT DISTINCT occupation_isco, occupation_rome FROM core.fct_jobseeker_month
    ) AS o
    JOIN core.bridge_pool_occupation AS b
      ON (b.classification = 'isco08' AND starts_with(o.occupation_isco, b.occupation_code))
      OR (b.classification = 'rome' AND o.occupation_rome = b.occupation_code)
),
jobseeker_pools AS (
    SELECT DISTINCT j.row_id, o.pool_id
    FROM jobseekers AS j
    JOIN occupation_pools AS o
      ON j.occupation_isco IS NOT DISTINCT FROM o.occupation_isco
     AND j.occupation_rome IS NOT DISTINCT FROM o.occupation_rome
    UNION ALL
    SELECT row_id, '_T' FROM jobseekers
),
stock_months AS (
    SELECT year(month) AS year, count(DISTINCT month) AS month_count FROM jobseekers GROUP BY ALL
),
stock AS (
    SELECT c.commune_key AS commune_nis, year(j.month) AS year, p.pool_id,
           sum(j.jobseeker_count) AS jobseeker_months
    FROM jobseekers AS j
    JOIN jobseeker_pools AS p USING (row_id),
    LATERAL (SELECT unnest([j.commune_nis, '04000']) AS commune_key) AS c
    WHERE j.commune_nis IN (SELECT commune_nis FROM core.dim_commune)
    GROUP BY ALL
),
vacancies AS (
    SELECT v.* FROM core.fct_vacancy AS v, as_of AS a WHERE v.received_month <= a.as_of_month
),
vacancy_groups AS (
    -- vacancies counted once per (ISCO, ROME, Brussels commune, year): the pool match and the
    -- region copy below work on these groups, not on every vacancy
    SELECT v.occupation_isco, v.occupation_rome, v.commune_nis, year(v.received_date) AS year,
           count(*) AS vacancy_count
    FROM vacancies AS v
    WHERE v.commune_nis IN (SELECT commune_nis FROM core.dim_commune)
    GROUP BY ALL
),
vacancy_pools AS (
    -- occupation_pools holds each (ISCO, ROME, pool) once: a group goes to a pool once
    SELECT g.commune_nis, g.year, g.vacancy_count, o.pool_id
    FROM vacancy_groups AS g
    JOIN occupation_pools AS o
      ON g.occupation_isco IS NOT DISTINCT FROM o.occupation_isco
     AND g.occupation_rome IS NOT DISTINCT FROM o.occupation_rome
    UNION ALL
    SELECT g.commune_nis, g.year, g.vacancy_count, '_T' FROM vacancy_groups AS g
),
received AS (
    SELECT c.commune_key AS commune_nis, p.year, p.pool_id,
           sum(p.vacancy_count)::BIGINT AS vacancy_received_count
    FROM vacancy_pools AS p,
    LATERAL (SELECT unnest([p.commune_nis, '04000']) AS commune_key) AS c
    GROUP BY ALL
)
SELECT
    c.commune_nis,
    y.year,
    p.pool_id,
    coalesce(t.trainee_count, 0) AS trainee_count,
    coalesce(s.jobseeker_months, 0) / nullif(m.month_count, 0) AS jobseeker_avg_count,
    coalesce(r.vacancy_received_count, 0) AS vacancy_received_count,
    c.population,
    coalesce(t.trainee_count, 0) * 1000.0 / nullif(c.population, 0) AS trainee_per_1000
FROM communes AS c
CROSS JOIN years AS y
CROSS JOIN pools AS p
LEFT JOIN trainees AS t ON t.commune_nis = c.commune_nis AND t.year = y.year AND t.pool_id = p.pool_id
LEFT JOIN stock AS s ON s.commune_nis = c.commune_nis AND s.year = y.year AND s.pool_id = p.pool_id
LEFT JOIN stock_months AS m ON m.year = y.year
LEFT JOIN received AS r ON r.commune_nis = c.commune_nis AND r.year = y.year AND r.pool_id = p.pool_id
