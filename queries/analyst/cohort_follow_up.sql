-- title: Cohort follow-up
-- description: Every cohort of leavers (by month, quarter or year of exit) for one pool and sex: how many were in work within 3, 6 and 12 months, in a durable job, or in work or training (positive exit), and whether the cohort is still provisional.
-- param: pool VARCHAR Pool id, or '_T' for all pools (default '_T')
-- param: sex VARCHAR F, M, X or '_T' for all (default '_T')
-- param: period_type VARCHAR Cohort period: month, quarter or year (default 'quarter')
SELECT
    m.period AS cohort,
    m.period_start,
    m.pool_id,
    m.sex,
    COLUMNS('^(leaver_count|in_work_3m_rate|in_work_6m_rate|in_work_12m_rate|durable_job_rate|positive_exit_rate|own_sector_rate|median_days_to_first_job)(_flag)?$'),
    m.is_provisional
FROM marts.mart_pool_placement AS m
WHERE m.period_type = CAST($period_type AS VARCHAR)
  AND m.pool_id = CAST($pool AS VARCHAR)
  AND m.sex = CAST($sex AS VARCHAR)
ORDER BY m.period_start
