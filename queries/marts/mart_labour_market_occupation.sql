-- Labour market per ISCO-08 occupation and month: vacancies received, open and filled, time to fill, job-seeker stock by duration, and tension over 12 rolling months; exact, before disclosure control.
-- occupation_isco: ISCO-08 4-digit occupation (dim_occupation, classification isco08), or '_T' for all occupations (including vacancies and job seekers without a 4-digit ISCO code).
-- month: Month (first day); stocks are at the end of the month.
-- vacancy_received_count: Vacancies received by Actiris in the month.
-- vacancy_open_count: Vacancies still open at the end of the month.
-- vacancy_filled_count: Vacancies closed as filled in the month.
-- median_days_to_fill: Median days between reception and closing of the vacancies filled in the month.
-- jobseeker_count: Stock of unemployed job seekers (DEI) at the end of the month.
-- jobseeker_lt6m_count: Stock unemployed for less than 6 months.
-- jobseeker_6_12m_count: Stock unemployed for 6 to 12 months.
-- jobseeker_1_2y_count: Stock unemployed for 1 to 2 years.
-- jobseeker_ge2y_count: Stock unemployed for 2 years or more.
-- jobseeker_ge1y_count: Stock unemployed for a year or more (jobseeker_1_2y_count + jobseeker_ge2y_count).
-- long_term_share: Share unemployed for a year or more: jobseeker_ge1y_count / jobseeker_count.
-- vacancy_received_12m_count: Vacancies received over the 12 months ending with this month (NULL before 12 months of data).
-- jobseeker_avg_12m_count: Average monthly job-seeker stock over the same 12 months.
-- tension_ratio: Job seekers per vacancy: jobseeker_avg_12m_count / vacancy_received_12m_count.
-- vacancy_per_jobseeker: Inverse of the tension: vacancy_received_12m_count / jobseeker_avg_12m_count.
-- How: the occupation rows of intermediate.int_labour_market_month (written once for this mart
-- and mart_labour_market_pool).
SELECT
    market_key AS occupation_isco,
    month,
    vacancy_received_count,
    vacancy_open_count,
    vacancy_filled_count,
    median_days_to_fill,
    jobseeker_count,
    jobseeker_lt6m_count,
    jobseeker_6_12m_count,
    jobseeker_1_2y_count,
    jobseeker_ge2y_count,
    jobseeker_ge1y_count,
    long_term_share,
    vacancy_received_12m_count,
    jobseeker_avg_12m_count,
    tension_ratio,
    vacancy_per_jobseeker
FROM intermediate.int_labour_market_month
WHERE market_type = 'occupation'
