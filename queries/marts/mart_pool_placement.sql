-- Follow-up of job-seeker leavers (trainees of the target group job_seekers; the population whose placement the pools report) by cohort (month, quarter and year of exit), pool and sex: exit to work within 3, 6 and 12 months, durable job, positive exit, time to first job, job in the pool's own sector; exact, before disclosure control.
-- pool_id: Pool of the programme left (dim_pool.pool_id), or '_T' for all pools.
-- period_type: Cohort period type: 'year', 'quarter' or 'month' (of the exit date).
-- period: Cohort period as text: '2024', '2024-Q1' or '2024-03'.
-- period_start: First day of the cohort period.
-- sex: Sex of the leaver (F, M, X) or '_T' for all.
-- leaver_count: Exits in the cohort: enrolments of job seekers that ended completed or dropped out (one person leaving two programmes counts twice).
-- in_work_3m_count: Exits followed by a job starting within 3 months (from the exit day included).
-- in_work_6m_count: Exits followed by a job starting within 6 months.
-- in_work_12m_count: Exits followed by a job starting within 12 months.
-- durable_job_count: Exits followed within 12 months by a durable job: held at least one month (end empty or end >= start + 1 month), judged at the end of as_of_month.
-- positive_exit_count: Exits followed within 6 months by a job or by a new enrolment (further training).
-- own_sector_count: Exits whose first job within 12 months is at an employer in the pool's own NACE codes (bridge_pool_nace).
-- other_sector_count: Exits whose first job within 12 months is at an employer outside the pool's NACE codes.
-- in_work_3m_rate: in_work_3m_count / leaver_count.
-- in_work_6m_rate: in_work_6m_count / leaver_count.
-- in_work_12m_rate: in_work_12m_count / leaver_count.
-- durable_job_rate: durable_job_count / leaver_count.
-- positive_exit_rate: positive_exit_count / leaver_count.
-- own_sector_rate: own_sector_count / in_work_12m_count.
-- median_days_to_first_job: Median number of days from exit to the first job started within 12 months.
-- is_provisional: The cohort's 12-month follow-up window ends after as_of_month: figures may still rise.
WITH as_of AS (
    SELECT
        coalesce(getvariable('as_of_month')::DATE,
                 (SELECT max(end_month) FROM core.fct_enrolment)) AS as_of_month
),
exits AS (
    SELECT
        e.enrolment_id, e.person_id, e.pool_id, e.sex, e.end_date AS exit_date
    FROM core.fct_enrolment AS e, as_of AS a
    WHERE e.end_date IS NOT NULL
      AND (e.is_completed OR e.is_dropped_out)
      AND e.target_group = 'job_seekers'
      AND e.end_month <= a.as_of_month
),
jobs AS (
    -- every job starting in the 12 months after an exit, with its delay and durability
    SELECT
        x.enrolment_id,
        p.start_date,
        p.placement_id,
        datediff('day', x.exit_date, p.start_date) AS days_to_job,
        p.start_date <= x.exit_date + INTERVAL 3 MONTH AS within_3m,
        p.start_date <= x.exit_date + INTERVAL 6 MONTH AS within_6m,
        coalesce(p.end_date, CAST(a.as_of_month + INTERVAL 1 MONTH AS DATE))
            >= p.start_date + INTERVAL 1 MONTH AS is_durable,
        EXISTS (
            SELECT 1 FROM core.bridge_pool_nace AS b
            WHERE b.pool_id = x.pool_id
              AND (starts_with(p.employer_nace, b.nace_code)
                   OR (b.nace_level = 1 AND p.nace_section = b.nace_code))
        ) AS is_own_sector
    FROM exits AS x
    JOIN core.fct_placement AS p
      ON p.person_id = x.person_id
     AND p.start_date >= x.exit_date
     AND p.start_date <= x.exit_date + INTERVAL 12 MONTH
    CROSS JOIN as_of AS a
),
further_training AS (
    SELECT DISTINCT x.enrolment_id
    FROM exits AS x
    JOIN core.fct_enrolment AS n
      ON n.person_id = x.person_id
     AND n.start_date > x.exit_date
     AND n.start_date <= x.exit_date + INTERVAL 6 MONTH
),
followed AS (
    SELECT
        x.*,
        coalesce(bool_or(j.within_3m), false) AS in_work_3m,
        coalesce(bool_or(j.within_6m), false) AS in_work_6m,
        count(j.enrolment_id) > 0 AS in_work_12m,
        coalesce(bool_or(j.is_durable), false) AS has_durable_job,
        min(j.days_to_job) AS days_to_first_job,
        -- the first job: earliest start, ties broken by placement id (as in mart_pool_placement_sector)
        arg_min(j.is_own_sector, (j.start_date, j.placement_id)) AS first_job_own_sector
    FROM exits AS x
    LEFT JOIN jobs AS j USING (enrolment_id)
    GROUP BY ALL
),
cohorts AS (
    SELECT f.*, 'month' AS period_type, strftime(f.exit_date, '%Y-%m') AS period,
           CAST(date_trunc('month', f.exit_date) AS DATE) AS period_start,
           CAST(date_trunc('month', f.exit_date) + INTERVAL 1 MONTH AS DATE) AS period_end
    FROM followed AS f
    UNION ALL
    SELECT f.*, 'quarter', strftime(f.exit_date, '%Y') || '-Q' || quarter(f.exit_date),
           CAST(date_trunc('quarter', f.exit_date) AS DATE),
           CAST(date_trunc('quarter', f.exit_date) + INTERVAL 3 MONTH AS DATE)
    FROM followed AS f
    UNION ALL
    SELECT f.*, 'year', strftime(f.exit_date, '%Y'),
           CAST(date_trunc('year', f.exit_date) AS DATE),
           CAST(date_trunc('year', f.exit_date) + INTERVAL 1 YEAR AS DATE)
    FROM followed AS f
),
expanded AS (
    SELECT c.*, k.pool_key, s.sex_key, ft.enrolment_id IS NOT NULL AS has_further_training
    FROM cohorts AS c
    LEFT JOIN further_training AS ft USING (enrolment_id),
    LATERAL (SELECT unnest([c.pool_id, '_T']) AS pool_key) AS k,
    LATERAL (SELECT unnest([coalesce(c.sex, '_U'), '_T']) AS sex_key) AS s
)
SELECT
    x.pool_key AS pool_id,
    x.period_type,
    x.period,
    x.period_start,
    x.sex_key AS sex,
    count(*) AS leaver_count,
    count(*) FILTER (WHERE x.in_work_3m) AS in_work_3m_count,
    count(*) FILTER (WHERE x.in_work_6m) AS in_work_6m_count,
    count(*) FILTER (WHERE x.in_work_12m) AS in_work_12m_count,
    count(*) FILTER (WHERE x.has_durable_job) AS durable_job_count,
    count(*) FILTER (WHERE x.in_work_6m OR x.has_further_training) AS positive_exit_count,
    count(*) FILTER (WHERE x.first_job_own_sector) AS own_sector_count,
    count(*) FILTER (WHERE NOT x.first_job_own_sector) AS other_sector_count,
    in_work_3m_count / leaver_count AS in_work_3m_rate,
    in_work_6m_count / leaver_count AS in_work_6m_rate,
    in_work_12m_count / leaver_count AS in_work_12m_rate,
    durable_job_count / leaver_count AS durable_job_rate,
    positive_exit_count / leaver_count AS positive_exit_rate,
    own_sector_count / nullif(in_work_12m_count, 0) AS own_sector_rate,
    median(x.days_to_first_job) AS median_days_to_first_job,
    any_value(x.period_end + INTERVAL 11 MONTH > a.as_of_month) AS is_provisional
FROM expanded AS x
CROSS JOIN as_of AS a
GROUP BY x.pool_key, x.period_type, x.period, x.period_start, x.sex_key
