-- Shortage occupations per year by the view.brussels rule (at least 10 vacancies received, fill rate below the average of all vacancies, median time open above the median of all vacancies), with the year's tension; recomputed each year; exact, before disclosure control.
-- year: Calendar year of reception of the vacancies.
-- occupation_isco: ISCO-08 4-digit occupation (dim_occupation, classification isco08).
-- vacancy_received_count: Vacancies received in the year for the occupation.
-- vacancy_filled_count: Of those, vacancies filled (outcome known at as_of_month).
-- fill_rate: vacancy_filled_count / vacancy_received_count.
-- median_days_open: Median days between reception and closing of the year's closed vacancies for the occupation.
-- all_fill_rate: Fill rate of all vacancies received that year (every occupation): the benchmark.
-- all_median_days_open: Median days open of all vacancies received and closed that year: the benchmark.
-- jobseeker_avg_count: Average monthly job-seeker stock for the occupation over the months of the year covered by the data.
-- tension_ratio: Job seekers per vacancy: jobseeker_avg_count / vacancy_received_count.
-- is_shortage: Shortage occupation: vacancy_received_count >= 10 AND fill_rate < all_fill_rate AND median_days_open > all_median_days_open.
-- is_provisional: The year is not complete at as_of_month.
WITH as_of AS (
    SELECT
        coalesce(getvariable('as_of_month')::DATE,
                 (SELECT max(received_month) FROM core.fct_vacancy)) AS as_of_month
),
vacancies AS (
    SELECT v.*, year(v.received_date) AS year
    FROM core.fct_vacancy AS v, as_of AS a
    WHERE v.received_month <= a.as_of_month
),
benchmark AS (
    SELECT
        year,
        count(*) FILTER (WHERE is_filled) / count(*) AS all_fill_rate,
        median(days_open) FILTER (WHERE closed_date IS NOT NULL) AS all_median_days_open
    FROM vacancies
    GROUP BY year
),
by_occupation AS (
    SELECT
        year,
        occupation_isco,
        count(*) AS vacancy_received_count,
        count(*) FILTER (WHERE is_filled) AS vacancy_filled_count,
        median(days_open) FILTER (WHERE closed_date IS NOT NULL) AS median_days_open
    FROM vacancies
    WHERE length(occupation_isco) = 4
    GROUP BY year, occupation_isco
),
stock AS (
    SELECT
        year(j.month) AS year,
        j.occupation_isco,
        sum(j.jobseeker_count) AS jobseeker_months
    FROM core.fct_jobseeker_month AS j, as_of AS a
    WHERE length(j.occupation_isco) = 4 AND j.month <= a.as_of_month
    GROUP BY ALL
),
stock_months AS (
    SELECT year(j.month) AS year, count(DISTINCT j.month) AS month_count
    FROM core.fct_jobseeker_month AS j, as_of AS a
    WHERE j.month <= a.as_of_month
    GROUP BY ALL
)
SELECT
    o.year,
    o.occupation_isco,
    o.vacancy_received_count,
    o.vacancy_filled_count,
    o.vacancy_filled_count / o.vacancy_received_count AS fill_rate,
    o.median_days_open,
    b.all_fill_rate,
    b.all_median_days_open,
    coalesce(s.jobseeker_months, 0) / nullif(m.month_count, 0) AS jobseeker_avg_count,
    jobseeker_avg_count / o.vacancy_received_count AS tension_ratio,
    coalesce(
        o.vacancy_received_count >= 10
        AND fill_rate < b.all_fill_rate
        AND o.median_days_open > b.all_median_days_open,
        false
    ) AS is_shortage,
    make_date(o.year, 12, 1) > a.as_of_month AS is_provisional
FROM by_occupation AS o
JOIN benchmark AS b USING (year)
LEFT JOIN stock AS s USING (year, occupation_isco)
LEFT JOIN stock_months AS m USING (year)
CROSS JOIN as_of AS a
