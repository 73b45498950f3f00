-- title: Supply–demand gap by occupation
-- description: For one pool and year, per occupation of the pool: vacancies received, job seekers (yearly average) and the gap (vacancies minus job seekers, minus completers on the pool row); largest gap first: where the pool should train more. Completers are known per pool only (programmes are not mapped to occupations).
-- param: pool VARCHAR Pool id (default 'digitalcity')
-- param: year INTEGER Year; empty = the latest year in the data (default NULL)
WITH chosen AS (
    SELECT coalesce(CAST($year AS INTEGER), (SELECT max(year) FROM marts.mart_supply_demand)) AS year
)
SELECT
    s.year,
    s.pool_id,
    s.occupation_isco,
    coalesce(o.label_en, CASE WHEN s.occupation_isco = '_T' THEN 'All the pool''s occupations' END) AS occupation_label_en,
    o.label_fr AS occupation_label_fr,
    s.is_shortage,
    COLUMNS('^(completer_count|vacancy_received_count|jobseeker_avg_count|gap_count|vacancy_per_jobseeker)(_flag)?$')
FROM marts.mart_supply_demand AS s
CROSS JOIN chosen AS c
LEFT JOIN core.dim_occupation AS o
  ON o.classification = 'isco08' AND o.occupation_code = s.occupation_isco
WHERE s.year = c.year
  AND s.pool_id = CAST($pool AS VARCHAR)
ORDER BY s.occupation_isco = '_T' DESC, s.gap_count DESC NULLS LAST, s.occupation_isco
