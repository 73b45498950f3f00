-- Participation in the pools' programmes per pool, period and breakdown (sex, target group, age band, education level, commune of residence), with '_T' totals; exact, before disclosure control.
-- pool_id: Pool running the programme (dim_pool.pool_id), or '_T' for all pools.
-- period_type: Period type: 'year', 'quarter' or 'month'.
-- period: Period as text: '2024', '2024-Q1' or '2024-03'.
-- period_start: First day of the period.
-- breakdown: Breakdown dimension of the row: 'total', 'sex', 'target_group', 'age_band', 'education_level' or 'commune'.
-- breakdown_value: Code within the breakdown ('_T' on the total row, '_U' unknown, '_O' resident outside Brussels, '04000' the Brussels region).
-- enrolment_count: Enrolments active at some point in the period (one trainee in one programme).
-- start_count: Enrolments that started in the period.
-- trainee_count: Distinct persons with an enrolment active in the period.
-- leaver_count: Enrolments that ended in the period as completed or dropped out.
-- completed_count: Leavers who completed the whole programme (status completed; a module alone does not count).
-- dropped_out_count: Leavers who dropped out of the programme.
-- certified_count: Completers who obtained the programme's certificate.
-- completion_rate: completed_count / leaver_count.
-- dropout_rate: dropped_out_count / leaver_count.
-- certification_rate: certified_count / completed_count.
WITH bounds AS (
    SELECT
        min(start_month) AS first_month,
        coalesce(getvariable('as_of_month')::DATE, max(greatest(start_month, coalesce(end_month, start_month)))) AS last_month
    FROM core.fct_enrolment
),
months AS (
    SELECT CAST(m AS DATE) AS month_start
    FROM bounds, unnest(generate_series(first_month::TIMESTAMP, last_month::TIMESTAMP, INTERVAL 1 MONTH)) AS g(m)
),
periods AS (
    SELECT 'month' AS period_type, strftime(month_start, '%Y-%m') AS period, month_start AS period_start,
           CAST(month_start + INTERVAL 1 MONTH AS DATE) AS period_end
    FROM months
    UNION ALL
    SELECT DISTINCT 'quarter', strftime(date_trunc('quarter', month_start), '%Y') || '-Q' || quarter(month_start),
           CAST(date_trunc('quarter', month_start) AS DATE),
           CAST(date_trunc('quarter', month_start) + INTERVAL 3 MONTH AS DATE)
    FROM months
    UNION ALL
    SELECT DISTINCT 'year', strftime(month_start, '%Y'), CAST(date_trunc('year', month_start) AS DATE),
           CAST(date_trunc('year', month_start) + INTERVAL 1 YEAR AS DATE)
    FROM months
),
enrolments AS (
    SELECT
        e.*,
        e.end_date IS NOT NULL AND (e.is_completed OR e.is_dropped_out) AS is_leaver
    FROM core.fct_enrolment AS e
),
breakdowns AS (
    SELECT e.*, b.breakdown, b.breakdown_value
    FROM enrolments AS e,
    LATERAL (
        SELECT * FROM (VALUES
            ('total', '_T'),
            ('sex', coalesce(e.sex, '_U')),
            ('target_group', coalesce(e.target_group, '_U')),
            ('age_band', coalesce(e.age_band, '_U')),
            ('education_level', coalesce(e.education_level, '_U')),
            ('commune', CASE WHEN e.commune_nis IS NULL THEN '_U'
                             WHEN e.is_brussels_resident THEN e.commune_nis
                             ELSE '_O' END),
            ('commune', CASE WHEN e.is_brussels_resident THEN '04000' END)
        ) AS v(breakdown, breakdown_value)
        WHERE breakdown_value IS NOT NULL
    ) AS b
),
pooled AS (
    SELECT b.*, p.pool_key
    FROM breakdowns AS b, LATERAL (SELECT unnest([b.pool_id, '_T']) AS pool_key) AS p
)
SELECT
    x.pool_key AS pool_id,
    p.period_type,
    p.period,
    p.period_start,
    x.breakdown,
    x.breakdown_value,
    count(*) AS enrolment_count,
    count(*) FILTER (WHERE x.start_date >= p.period_start) AS start_count,
    count(DISTINCT x.person_id) AS trainee_count,
    count(*) FILTER (WHERE x.is_leaver AND x.end_date < p.period_end) AS leaver_count,
    count(*) FILTER (WHERE x.is_leaver AND x.end_date < p.period_end AND x.is_completed) AS completed_count,
    count(*) FILTER (WHERE x.is_leaver AND x.end_date < p.period_end AND x.is_dropped_out) AS dropped_out_count,
    count(*) FILTER (WHERE x.is_leaver AND x.end_date < p.period_end AND x.is_completed AND x.has_certificate) AS certified_count,
    completed_count / nullif(leaver_count, 0) AS completion_rate,
    dropped_out_count / nullif(leaver_count, 0) AS dropout_rate,
    certified_count / nullif(completed_count, 0) AS certification_rate
FROM pooled AS x
JOIN periods AS p
  ON x.start_date < p.period_end
 AND (x.end_date IS NULL OR x.end_date >= p.period_start)
GROUP BY ALL
