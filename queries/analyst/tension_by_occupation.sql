-- title: Tension by occupation over time
-- description: Month by month for one ISCO-08 occupation (or all occupations): vacancies received, open and filled, job-seeker stock, and the tension over 12 rolling months (job seekers per vacancy) with its inverse.
-- param: occupation VARCHAR ISCO-08 4-digit code, or '_T' for all occupations (default '_T')
-- param: from_month DATE First month shown; empty = from the start of the data (default NULL)
-- param: to_month DATE Last month shown; empty = to the last month of the data (default NULL)
SELECT
    m.occupation_isco,
    o.label_en AS occupation_label_en,
    m.month,
    COLUMNS('^(vacancy_received_count|vacancy_open_count|vacancy_filled_count|jobseeker_count|vacancy_received_12m_count|jobseeker_avg_12m_count|tension_ratio|vacancy_per_jobseeker)(_flag)?$')
FROM marts.mart_labour_market_occupation AS m
LEFT JOIN core.dim_occupation AS o
  ON o.classification = 'isco08' AND o.occupation_code = m.occupation_isco
WHERE m.occupation_isco = CAST($occupation AS VARCHAR)
  AND (CAST($from_month AS DATE) IS NULL OR m.month >= CAST($from_month AS DATE))
  AND (CAST($to_month AS DATE) IS NULL OR m.month <= CAST($to_month AS DATE))
ORDER BY m.month
