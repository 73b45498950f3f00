-- title: Participation by breakdown
-- description: For one pool and year, enrolments, starts, trainees, leavers, and the completion (whole programme, not a module), drop-out and certification rates, by one breakdown: total, sex, target_group, age_band, education_level or commune.
-- param: pool VARCHAR Pool id, or '_T' for all pools (default '_T')
-- param: year INTEGER Year; empty = the latest year in the data (default NULL)
-- param: breakdown VARCHAR total, sex, target_group, age_band, education_level or commune (default 'sex')
WITH chosen AS (
    SELECT coalesce(CAST($year AS INTEGER),
                    (SELECT max(CAST(period AS INTEGER)) FROM marts.mart_pool_participation
                      WHERE period_type = 'year')) AS year
)
SELECT
    m.period AS year,
    m.pool_id,
    m.breakdown,
    m.breakdown_value,
    COLUMNS('^(enrolment_count|start_count|trainee_count|leaver_count|completion_rate|dropout_rate|certification_rate)(_flag)?$')
FROM marts.mart_pool_participation AS m
CROSS JOIN chosen AS c
WHERE m.period_type = 'year'
  AND m.period = CAST(c.year AS VARCHAR)
  AND m.pool_id = CAST($pool AS VARCHAR)
  AND m.breakdown = CAST($breakdown AS VARCHAR)
ORDER BY m.breakdown_value
