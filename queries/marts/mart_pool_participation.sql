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
-- How: each enrolment is expanded once to the months, quarters and years it is active in (its
-- own range, clipped to the covered months: no join against every period), then one pass of
-- GROUPING SETS adds up every (pool or '_T') x breakdown cell from one row per combination of
-- values (and the few rows of persons with several enrolments, for their distinct count), with
-- no 14-fold copy of the enrolments, and labels each cell in one place. Distinct persons: a
-- person with one active enrolment in a period counts once wherever that row goes; only the few
-- persons with several go through a distinct count.
WITH bounds AS (
    SELECT
        min(start_month) AS first_month,
        coalesce(getvariable('as_of_month')::DATE, max(greatest(start_month, coalesce(end_month, start_month)))) AS last_month
    FROM core.fct_enrolment
),
limits AS (
    SELECT
        first_month, last_month,
        date_trunc('quarter', first_month)::DATE AS first_quarter,
        date_trunc('quarter', last_month)::DATE AS last_quarter,
        date_trunc('year', first_month)::DATE AS first_year,
        date_trunc('year', last_month)::DATE AS last_year
    FROM bounds
),
persons AS (
    -- a small integer per person: counting distinct integers is far cheaper than 64-char hashes
    SELECT person_id, row_number() OVER () AS person_number
    FROM (SELECT DISTINCT person_id FROM core.fct_enrolment)
),
enrolments AS (
    SELECT
        e.pool_id, p.person_number, e.start_date, e.end_date,
        e.start_month,
        e.end_month,
        e.end_date IS NOT NULL AND (e.is_completed OR e.is_dropped_out) AS is_leaver,
        e.is_completed, e.is_dropped_out, e.has_certificate,
        coalesce(e.sex, '_U') AS sex_value,
        coalesce(e.target_group, '_U') AS target_value,
        coalesce(e.age_band, '_U') AS age_value,
        coalesce(e.education_level, '_U') AS education_value,
        CASE WHEN e.commune_nis IS NULL THEN '_U'
             WHEN e.is_brussels_resident THEN e.commune_nis
             ELSE '_O' END AS commune_value,
        CASE WHEN e.is_brussels_resident THEN '04000' END AS region_value
    FROM core.fct_enrolment AS e
    LEFT JOIN persons AS p USING (person_id)
),
activity AS (
    SELECT e.*, 'month' AS period_type, CAST(g.p AS DATE) AS period_start,
           CAST(g.p + INTERVAL 1 MONTH AS DATE) AS period_end
    FROM enrolments AS e, limits AS l,
         unnest(generate_series(
             greatest(e.start_month, l.first_month)::TIMESTAMP,
             least(coalesce(e.end_month, l.last_month), l.last_month)::TIMESTAMP,
             INTERVAL 1 MONTH)) AS g(p)
    UNION ALL
    SELECT e.*, 'quarter', CAST(g.p AS DATE), CAST(g.p + INTERVAL 3 MONTH AS DATE)
    FROM enrolments AS e, limits AS l,
         unnest(generate_series(
             greatest(date_trunc('quarter', e.start_date)::DATE, l.first_quarter)::TIMESTAMP,
             least(coalesce(date_trunc('quarter', e.end_date)::DATE, l.last_quarter), l.last_quarter)::TIMESTAMP,
             INTERVAL 3 MONTH)) AS g(p)
    UNION ALL
    SELECT e.*, 'year', CAST(g.p AS DATE), CAST(g.p + INTERVAL 1 YEAR AS DATE)
    FROM enrolments AS e, limits AS l,
         unnest(generate_series(
             greatest(date_trunc('year', e.start_date)::DATE, l.first_year)::TIMESTAMP,
             least(coalesce(date_trunc('year', e.end_date)::DATE, l.last_year), l.last_year)::TIMESTAMP,
             INTERVAL 1 YEAR)) AS g(p)
),
several AS (
    -- persons with more than one enrolment: the only ones who can be active twice in a period
    SELECT person_number FROM enrolments
    WHERE person_number IS NOT NULL
    GROUP BY person_number
    HAVING count(*) > 1
),
repeats AS (
    -- person-periods with more than one active enrolment: only there can distinct persons differ
    -- from enrolments, so only their rows go through a distinct count (grouping only the rows of
    -- persons with several enrolments: 2 M enrolments, 4.1 s -> well under 1 s)
    SELECT person_number, period_type, period_start, true AS is_repeat
    FROM activity SEMI JOIN several USING (person_number)
    GROUP BY ALL
    HAVING count(*) > 1
),
marked AS (
    SELECT a.*, coalesce(r.is_repeat, false) AS is_repeat
    FROM activity AS a
    LEFT JOIN repeats AS r USING (person_number, period_type, period_start)
),
cells AS (
    -- every combination of pool, period and breakdown values once: the grouping sets then add
    -- up a few thousand rows instead of every enrolment-period
    SELECT
        pool_id, period_type, period_start, sex_value, target_value, age_value, education_value, commune_value, region_value,
        count(*) AS enrolment_count,
        count(*) FILTER (WHERE start_date >= period_start) AS start_count,
        count(person_number) FILTER (WHERE NOT is_repeat) AS single_count,
        count(*) FILTER (WHERE is_leaver AND end_date < period_end) AS leaver_count,
        count(*) FILTER (WHERE is_leaver AND end_date < period_end AND is_completed) AS completed_count,
        count(*) FILTER (WHERE is_leaver AND end_date < period_end AND is_dropped_out) AS dropped_out_count,
        count(*) FILTER (WHERE is_leaver AND end_date < period_end AND is_completed AND has_certificate) AS certified_count
    FROM marked
    GROUP BY ALL
),
repeated AS (
    SELECT DISTINCT pool_id, period_type, period_start, sex_value, target_value, age_value, education_value, commune_value, region_value, person_number
    -- read from activity, not marked: marked is then read once and streamed, not materialised
    FROM activity SEMI JOIN repeats USING (person_number, period_type, period_start)
),
counted AS (
    -- one pass of GROUPING SETS over the cells and the repeated persons' rows, labelled once
    SELECT
        CASE WHEN grouping(pool_id) = 1 THEN '_T' ELSE pool_id END AS pool_id,
        period_type,
        period_start,
        CASE WHEN grouping(sex_value) = 0 THEN 'sex'
             WHEN grouping(target_value) = 0 THEN 'target_group'
             WHEN grouping(age_value) = 0 THEN 'age_band'
             WHEN grouping(education_value) = 0 THEN 'education_level'
             WHEN grouping(commune_value) = 0 OR grouping(region_value) = 0 THEN 'commune'
             ELSE 'total' END AS breakdown,
        CASE WHEN grouping(sex_value) = 0 THEN sex_value
             WHEN grouping(target_value) = 0 THEN target_value
             WHEN grouping(age_value) = 0 THEN age_value
             WHEN grouping(education_value) = 0 THEN education_value
             WHEN grouping(commune_value) = 0 THEN commune_value
             WHEN grouping(region_value) = 0 THEN region_value
             ELSE '_T' END AS breakdown_value,
        sum(enrolment_count)::BIGINT AS enrolment_count,
        sum(start_count)::BIGINT AS start_count,
        sum(single_count)::BIGINT AS single_count,
        sum(leaver_count)::BIGINT AS leaver_count,
        sum(completed_count)::BIGINT AS completed_count,
        sum(dropped_out_count)::BIGINT AS dropped_out_count,
        sum(certified_count)::BIGINT AS certified_count,
        count(DISTINCT person_number) AS repeated_count
    FROM (
        SELECT pool_id, period_type, period_start, sex_value, target_value, age_value, education_value, commune_value, region_value,
               NULL::BIGINT AS person_number, enrolment_count, start_count, single_count, leaver_count,
               completed_count, dropped_out_count, certified_count
        FROM cells
        UNION ALL
        SELECT pool_id, period_type, period_start, sex_value, target_value, age_value, education_value, commune_value, region_value,
               person_number, NULL, NULL, NULL, NULL, NULL, NULL, NULL
        FROM repeated
    )
    GROUP BY period_type, period_start,
        GROUPING SETS ((pool_id), ()),
        GROUPING SETS ((), (sex_value), (target_value), (age_value), (education_value),
                       (commune_value), (region_value))
    HAVING grouping(region_value) = 1 OR region_value IS NOT NULL
)
SELECT
    pool_id,
    period_type,
    CASE period_type
        WHEN 'month' THEN strftime(period_start, '%Y-%m')
        WHEN 'quarter' THEN strftime(period_start, '%Y') || '-Q' || quarter(period_start)
        ELSE strftime(period_start, '%Y')
    END AS period,
    period_start,
    breakdown,
    breakdown_value,
    enrolment_count,
    start_count,
    single_count + repeated_count AS trainee_count,
    leaver_count,
    completed_count,
    dropped_out_count,
    certified_count,
    completed_count / nullif(leaver_count, 0) AS completion_rate,
    dropped_out_count / nullif(leaver_count, 0) AS dropout_rate,
    certified_count / nullif(completed_count, 0) AS certification_rate
FROM counted
