-- Participation per pool, programme and month, for the pool-manager tier only (published into restricted.duckdb under primary suppression, never into published.duckdb); exact, before disclosure control.
-- pool_id: Pool running the programme (dim_pool.pool_id).
-- programme_id: Programme code as delivered in the enrolments.
-- programme_name: Programme name as delivered (the latest name seen for the code).
-- month: First day of the month.
-- period: Month as text: '2024-03'.
-- enrolment_count: Enrolments active at some point in the month.
-- start_count: Enrolments that started in the month.
-- leaver_count: Enrolments that ended in the month as completed or dropped out.
-- completed_count: Leavers of the month who completed the whole programme.
-- dropped_out_count: Leavers of the month who dropped out.
-- certified_count: Completers of the month who obtained the programme's certificate.
WITH bounds AS (
    SELECT
        min(start_month) AS first_month,
        coalesce(getvariable('as_of_month')::DATE, max(greatest(start_month, coalesce(end_month, start_month)))) AS last_month
    FROM core.fct_enrolment
),
months AS (
    SELECT CAST(m AS DATE) AS month_start, CAST(m + INTERVAL 1 MONTH AS DATE) AS month_end
    FROM bounds, unnest(generate_series(first_month::TIMESTAMP, last_month::TIMESTAMP, INTERVAL 1 MONTH)) AS g(m)
),
names AS (
    SELECT pool_id, coalesce(programme_id, '_U') AS programme_id,
           arg_max(programme_name, start_date) AS programme_name
    FROM core.fct_enrolment
    GROUP BY ALL
),
enrolments AS (
    SELECT
        e.pool_id,
        coalesce(e.programme_id, '_U') AS programme_id,
        e.start_date,
        e.end_date,
        e.end_date IS NOT NULL AND (e.is_completed OR e.is_dropped_out) AS is_leaver,
        coalesce(e.is_completed, false) AS is_completed,
        coalesce(e.is_dropped_out, false) AS is_dropped_out,
        coalesce(e.has_certificate, false) AS has_certificate
    FROM core.fct_enrolment AS e
)
SELECT
    x.pool_id,
    x.programme_id,
    any_value(n.programme_name) AS programme_name,
    m.month_start AS month,
    strftime(m.month_start, '%Y-%m') AS period,
    count(*) AS enrolment_count,
    count(*) FILTER (WHERE x.start_date >= m.month_start) AS start_count,
    count(*) FILTER (WHERE x.is_leaver AND x.end_date < m.month_end) AS leaver_count,
    count(*) FILTER (WHERE x.is_leaver AND x.end_date < m.month_end AND x.is_completed) AS completed_count,
    count(*) FILTER (WHERE x.is_leaver AND x.end_date < m.month_end AND x.is_dropped_out) AS dropped_out_count,
    count(*) FILTER (WHERE x.is_leaver AND x.end_date < m.month_end AND x.is_completed AND x.has_certificate) AS certified_count
FROM enrolments AS x
JOIN months AS m
  ON x.start_date < m.month_end
 AND (x.end_date IS NULL OR x.end_date >= m.month_start)
LEFT JOIN names AS n
  ON n.pool_id = x.pool_id AND n.programme_id = x.programme_id
GROUP BY x.pool_id, x.programme_id, m.month_start
