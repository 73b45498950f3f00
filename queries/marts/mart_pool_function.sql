-- Activity of the pools' six functions (advanced equipment, equipment lending, competence validation, trade information, orientation trials, job matching) per pool, function and period, with '_T' totals; exact, before disclosure control.
-- pool_id: Pool that ran the activity (dim_pool.pool_id), or '_T' for all pools.
-- function_id: Pool function (dim_pool_function.function_id), or '_T' for all functions.
-- period_type: Period type: 'year', 'quarter' or 'month'.
-- period: Period as text: '2024', '2024-Q1' or '2024-03'.
-- period_start: First day of the period.
-- activity_count: Sessions, trials, validations, loans or referrals recorded.
-- participant_count: People reached (a person reached twice counts twice).
-- hours: Hours recorded (equipment use, sessions).
-- hire_count: Hires that followed (job matching).
WITH as_of AS (
    SELECT
        coalesce(getvariable('as_of_month')::DATE,
                 (SELECT max(activity_month) FROM core.fct_pool_activity)) AS as_of_month
),
activities AS (
    SELECT a.*
    FROM core.fct_pool_activity AS a, as_of AS o
    WHERE a.activity_month <= o.as_of_month
),
periods AS (
    SELECT a.*, 'month' AS period_type, strftime(a.activity_month, '%Y-%m') AS period,
           a.activity_month AS period_start
    FROM activities AS a
    UNION ALL
    SELECT a.*, 'quarter', strftime(a.activity_month, '%Y') || '-Q' || quarter(a.activity_month),
           CAST(date_trunc('quarter', a.activity_month) AS DATE)
    FROM activities AS a
    UNION ALL
    SELECT a.*, 'year', strftime(a.activity_month, '%Y'), CAST(date_trunc('year', a.activity_month) AS DATE)
    FROM activities AS a
)
SELECT
    k.pool_key AS pool_id,
    f.function_key AS function_id,
    p.period_type,
    p.period,
    p.period_start,
    sum(p.activity_count) AS activity_count,
    sum(p.participant_count) AS participant_count,
    sum(p.hours) AS hours,
    coalesce(sum(p.hire_count), 0) AS hire_count
FROM periods AS p,
LATERAL (SELECT unnest([p.pool_id, '_T']) AS pool_key) AS k,
LATERAL (SELECT unnest([p.function, '_T']) AS function_key) AS f
GROUP BY ALL
