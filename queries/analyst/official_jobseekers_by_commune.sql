-- title: Registered job seekers per commune (Actiris, published)
-- description: For one year, per Brussels commune: Actiris' annual average of registered unemployed job seekers as published on opendata.brussels, by sex, with the share of low study level and the number per 1,000 inhabitants (population of core.dim_commune). Source: Actiris (view.brussels) via opendata.brussels.
-- param: year INTEGER Year; empty = the latest year published (default NULL)
WITH chosen AS (
    SELECT coalesce(CAST($year AS INTEGER),
                    (SELECT max(year) FROM context.actiris_jobseekers_commune)) AS year
),
cells AS (
    SELECT a.commune_nis,
           sum(a.jobseeker_count) FILTER (WHERE a.sex = 'T' AND a.education = 'total') AS total,
           sum(a.jobseeker_count) FILTER (WHERE a.sex = 'F' AND a.education = 'total') AS women,
           sum(a.jobseeker_count) FILTER (WHERE a.sex = 'M' AND a.education = 'total') AS men,
           sum(a.jobseeker_count) FILTER (WHERE a.sex = 'T' AND a.education = 'low') AS low
    FROM context.actiris_jobseekers_commune AS a, chosen AS c
    WHERE a.year = c.year
    GROUP BY a.commune_nis
)
SELECT c.year, x.commune_nis, d.name_fr AS commune_name_fr, d.name_nl AS commune_name_nl,
       x.total AS jobseeker_count, x.women AS women_count, x.men AS men_count,
       x.low / nullif(x.total, 0) AS low_education_share,
       1000 * x.total / nullif(d.population, 0) AS jobseeker_per_1000,
       'Actiris (view.brussels) via opendata.brussels' AS source
FROM cells AS x
CROSS JOIN chosen AS c
LEFT JOIN core.dim_commune AS d ON d.commune_nis = x.commune_nis
ORDER BY x.commune_nis
