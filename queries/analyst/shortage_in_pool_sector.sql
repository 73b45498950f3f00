-- title: Top shortage occupations in a pool's sector
-- description: The occupations of one pool (ISCO-08, via the pool-occupation mapping) for one year, shortage occupations first (view.brussels rule: at least 10 vacancies, fill rate below the average, time open above the median), then by lowest fill rate; with job seekers per vacancy.
-- param: pool VARCHAR Pool id (default 'technicity')
-- param: year INTEGER Year; empty = the latest year in the data (default NULL)
-- param: top INTEGER Number of occupations to list (default 20)
WITH chosen AS (
    SELECT coalesce(CAST($year AS INTEGER),
                    (SELECT max(year) FROM marts.mart_shortage_occupation)) AS year
),
pool_occupations AS (
    SELECT DISTINCT s.occupation_isco
    FROM marts.mart_shortage_occupation AS s
    JOIN core.bridge_pool_occupation AS b
      ON b.classification = 'isco08' AND starts_with(s.occupation_isco, b.occupation_code)
    WHERE b.pool_id = CAST($pool AS VARCHAR)
)
SELECT
    s.year,
    s.occupation_isco,
    o.label_en AS occupation_label_en,
    o.label_fr AS occupation_label_fr,
    o.label_nl AS occupation_label_nl,
    s.is_shortage,
    COLUMNS('^(vacancy_received_count|fill_rate|median_days_open|jobseeker_avg_count|tension_ratio)(_flag)?$'),
    s.all_fill_rate,
    s.all_median_days_open,
    s.is_provisional
FROM marts.mart_shortage_occupation AS s
CROSS JOIN chosen AS c
JOIN pool_occupations USING (occupation_isco)
LEFT JOIN core.dim_occupation AS o
  ON o.classification = 'isco08' AND o.occupation_code = s.occupation_isco
WHERE s.year = c.year
ORDER BY s.is_shortage DESC, s.fill_rate ASC NULLS LAST, s.vacancy_received_count DESC NULLS LAST
LIMIT CAST($top AS INTEGER)
