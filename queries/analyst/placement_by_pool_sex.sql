-- title: Placement rate by pool and sex
-- description: For one cohort year of leavers, per pool and sex: leavers, exit to work within 3, 6 and 12 months, durable jobs (held at least one month), positive exits and the median time to the first job. Rates are fractions (0.7 = 70 %). A year whose 12-month follow-up is not closed is marked provisional.
-- param: year INTEGER Cohort year (year of exit); empty = the latest year whose follow-up is closed (default NULL)
-- param: pool VARCHAR Pool id, or empty for every pool and the all-pools total '_T' (default NULL)
WITH chosen AS (
    SELECT coalesce(
        CAST($year AS INTEGER),
        (SELECT max(CAST(period AS INTEGER)) FROM marts.mart_pool_placement
          WHERE period_type = 'year' AND NOT is_provisional),
        (SELECT max(CAST(period AS INTEGER)) FROM marts.mart_pool_placement
          WHERE period_type = 'year')
    ) AS year
)
SELECT
    m.period AS year,
    m.pool_id,
    coalesce(p.name_en, 'All pools') AS pool_name,
    m.sex,
    COLUMNS('^(leaver_count|in_work_3m_rate|in_work_6m_rate|in_work_12m_rate|durable_job_rate|positive_exit_rate|median_days_to_first_job)(_flag)?$'),
    m.is_provisional
FROM marts.mart_pool_placement AS m
CROSS JOIN chosen AS c
LEFT JOIN core.dim_pool AS p ON p.pool_id = m.pool_id
WHERE m.period_type = 'year'
  AND m.period = CAST(c.year AS VARCHAR)
  AND (CAST($pool AS VARCHAR) IS NULL OR m.pool_id = CAST($pool AS VARCHAR))
ORDER BY m.pool_id = '_T', m.pool_id, m.sex = '_T', m.sex
