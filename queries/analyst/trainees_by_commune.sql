-- title: Trainees per commune
-- description: For one year, per Brussels commune (and the region, 04000): trainees resident in the commune, trainees per 1,000 inhabitants, resident job seekers (yearly average) and vacancies by workplace; for one pool or all pools.
-- param: year INTEGER Year; empty = the latest year in the data (default NULL)
-- param: pool VARCHAR Pool id, or '_T' for all pools (default '_T')
WITH chosen AS (
    SELECT coalesce(CAST($year AS INTEGER), (SELECT max(year) FROM marts.mart_commune)) AS year
)
SELECT
    m.year,
    m.pool_id,
    m.commune_nis,
    coalesce(d.name_fr, 'Région de Bruxelles-Capitale') AS commune_name_fr,
    coalesce(d.name_nl, 'Brussels Hoofdstedelijk Gewest') AS commune_name_nl,
    m.population,
    COLUMNS('^(trainee_count|trainee_per_1000|jobseeker_avg_count|vacancy_received_count)(_flag)?$')
FROM marts.mart_commune AS m
CROSS JOIN chosen AS c
LEFT JOIN core.dim_commune AS d ON d.commune_nis = m.commune_nis
WHERE m.year = c.year
  AND m.pool_id = CAST($pool AS VARCHAR)
ORDER BY m.commune_nis = '04000', m.commune_nis
