-- Job-seeker leavers' first jobs (within 12 months of exit) by pool, cohort year and the employer's NACE section, with the part found in the pool's own sector; exact, before disclosure control.
-- pool_id: Pool of the programme left (dim_pool.pool_id), or '_T' for all pools.
-- year: Year of exit (cohort).
-- period_start: First day of the cohort year.
-- nace_section: NACE-BEL 2008 section (A-U) of the first job's employer, '_U' unknown, '_T' all sections.
-- first_job_count: Exits whose first job within 12 months is in this section.
-- own_sector_count: Of those, first jobs at an employer in the pool's own NACE codes (bridge_pool_nace).
-- all_sections_count: Exits with a first job within 12 months in any section, same pool and year (the share's denominator).
-- section_share: first_job_count / all_sections_count.
-- is_provisional: The cohort year's 12-month follow-up window ends after as_of_month.
WITH as_of AS (
    SELECT
        coalesce(getvariable('as_of_month')::DATE,
                 (SELECT max(end_month) FROM core.fct_enrolment)) AS as_of_month
),
exits AS (
    SELECT e.enrolment_id, e.person_id, e.pool_id, e.end_date AS exit_date
    FROM core.fct_enrolment AS e, as_of AS a
    WHERE e.end_date IS NOT NULL
      AND (e.is_completed OR e.is_dropped_out)
      AND e.target_group = 'job_seekers'
      AND e.end_month <= a.as_of_month
),
first_jobs AS (
    SELECT
        x.enrolment_id,
        x.pool_id,
        year(x.exit_date) AS year,
        -- the first job: earliest start, ties broken by placement id (as in mart_pool_placement)
        arg_min(coalesce(p.nace_section, '_U'), (p.start_date, p.placement_id)) AS nace_section,
        arg_min(
            EXISTS (
                SELECT 1 FROM core.bridge_pool_nace AS b
                WHERE b.pool_id = x.pool_id
                  AND (starts_with(p.employer_nace, b.nace_code)
                       OR (b.nace_level = 1 AND p.nace_section = b.nace_code))
            ),
            (p.start_date, p.placement_id)
        ) AS is_own_sector
    FROM exits AS x
    JOIN core.fct_placement AS p
      ON p.person_id = x.person_id
     AND p.start_date >= x.exit_date
     AND p.start_date <= x.exit_date + INTERVAL 12 MONTH
    GROUP BY x.enrolment_id, x.pool_id, year(x.exit_date)
),
counted AS (
    SELECT
        k.pool_key AS pool_id,
        j.year,
        s.section_key AS nace_section,
        count(*) AS first_job_count,
        count(*) FILTER (WHERE j.is_own_sector) AS own_sector_count
    FROM first_jobs AS j,
    LATERAL (SELECT unnest([j.pool_id, '_T']) AS pool_key) AS k,
    LATERAL (SELECT unnest([j.nace_section, '_T']) AS section_key) AS s
    GROUP BY ALL
)
SELECT
    c.pool_id,
    c.year,
    make_date(c.year, 1, 1) AS period_start,
    c.nace_section,
    c.first_job_count,
    c.own_sector_count,
    sum(c.first_job_count) FILTER (WHERE c.nace_section = '_T')
        OVER (PARTITION BY c.pool_id, c.year) AS all_sections_count,
    c.first_job_count / all_sections_count AS section_share,
    make_date(c.year + 1, 1, 1) + INTERVAL 11 MONTH > a.as_of_month AS is_provisional
FROM counted AS c
CROSS JOIN as_of AS a
