-- title: Sectors where a pool's leavers found work
-- description: For one pool and cohort year, the NACE sections of the leavers' first jobs (within 12 months of exit), how many were in the pool's own sector, and each section's share of the first jobs.
-- param: pool VARCHAR Pool id, or '_T' for all pools (default '_T')
-- param: year INTEGER Cohort year (year of exit); empty = the latest year in the data (default NULL)
WITH chosen AS (
    SELECT coalesce(CAST($year AS INTEGER),
                    (SELECT max(year) FROM marts.mart_pool_placement_sector)) AS year
)
SELECT
    s.year,
    s.pool_id,
    s.nace_section,
    coalesce(n.label_en, CASE s.nace_section WHEN '_T' THEN 'All sections' WHEN '_U' THEN 'Unknown' END) AS section_label_en,
    n.label_fr AS section_label_fr,
    n.label_nl AS section_label_nl,
    COLUMNS('^(first_job_count|own_sector_count|section_share)(_flag)?$'),
    s.is_provisional
FROM marts.mart_pool_placement_sector AS s
CROSS JOIN chosen AS c
LEFT JOIN core.dim_nace AS n ON n.level = 1 AND n.nace_code = s.nace_section
WHERE s.year = c.year
  AND s.pool_id = CAST($pool AS VARCHAR)
ORDER BY s.nace_section = '_T' DESC, s.first_job_count DESC NULLS LAST, s.nace_section
