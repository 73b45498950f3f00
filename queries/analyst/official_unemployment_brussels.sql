-- title: Survey unemployment rate of Brussels beside registered job seekers
-- description: Per year: the Labour Force Survey unemployment rate of the Brussels-Capital Region (Eurostat, NUTS 2 BE10, age 15 and over, by sex) with its Eurostat flag, beside the annual average of Actiris' registered unemployed job seekers (opendata.brussels) for the region. The survey counts people without work who look for and are available for work, registered or not; Actiris counts registrations: the two differ by definition.
-- param: sex VARCHAR T total, M men or F women (default 'T')
-- param: from_year INTEGER First year shown; empty = from the first year published (default NULL)
WITH survey AS (
    SELECT year, unemployment_rate, flag AS unemployment_rate_flag, dataset,
           source AS survey_source, last_update
    FROM context.brussels_unemployment_rate
    WHERE sex = CAST($sex AS VARCHAR)
),
registered AS (
    SELECT year, sum(jobseeker_count) AS registered_jobseeker_count,
           any_value(source) AS registered_source
    FROM context.actiris_jobseekers_commune
    WHERE sex = CAST($sex AS VARCHAR) AND education = 'total'
    GROUP BY year
)
SELECT coalesce(s.year, r.year) AS year, s.unemployment_rate, s.unemployment_rate_flag,
       s.dataset, s.survey_source, s.last_update, r.registered_jobseeker_count,
       r.registered_source
FROM survey AS s
FULL JOIN registered AS r USING (year)
WHERE coalesce(s.year, r.year) >= coalesce(CAST($from_year AS INTEGER), 0)
ORDER BY year
