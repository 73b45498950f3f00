-- title: Pool function activity by quarter
-- description: Quarter by quarter, for one pool (or all pools), the activity of the six functions: activities, people reached, hours and hires after job matching.
-- param: pool VARCHAR Pool id, or '_T' for all pools (default '_T')
-- param: year INTEGER Only the quarters of this year; empty = every quarter (default NULL)
SELECT
    m.period AS quarter,
    m.period_start,
    m.pool_id,
    m.function_id,
    coalesce(f.name_en, 'All functions') AS function_name_en,
    f.name_fr AS function_name_fr,
    f.name_nl AS function_name_nl,
    COLUMNS('^(activity_count|participant_count|hours|hire_count)(_flag)?$')
FROM marts.mart_pool_function AS m
LEFT JOIN core.dim_pool_function AS f ON f.function_id = m.function_id
WHERE m.period_type = 'quarter'
  AND m.pool_id = CAST($pool AS VARCHAR)
  AND (CAST($year AS INTEGER) IS NULL OR year(m.period_start) = CAST($year AS INTEGER))
ORDER BY m.period_start, m.function_id = '_T', coalesce(f.sort_order, 99), m.function_id
