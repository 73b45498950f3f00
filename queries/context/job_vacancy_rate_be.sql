-- Job vacancy rate of Belgium by NACE aggregate and quarter (Eurostat ei_lmjv_q_r2, not seasonally adjusted, all size classes): vacancies as a share of occupied posts plus vacancies.
-- period: Quarter, e.g. 2024-Q2.
-- period_start: First day of the quarter.
-- nace: NACE Rev. 2 aggregate code (A-S, B-S, C, F, ...).
-- job_vacancy_rate: Job vacancy rate in %; NULL when not available.
-- flag: Eurostat flag (p provisional, b break, c confidential); NULL when none.
-- source: Publisher.
-- last_update: Publisher's last update.
SELECT period, period_start, nace, value AS job_vacancy_rate, flag, source, last_update
FROM context.official_series
WHERE dataset = 'ei_lmjv_q_r2' AND geo = 'BE' AND s_adj = 'NSA'
  AND dimension_key NOT LIKE '%sizeclas=GE10%'
