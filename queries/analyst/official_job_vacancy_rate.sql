-- title: Job vacancy rate of Belgium by NACE aggregate
-- description: Eurostat's job vacancy rate (ei_lmjv_q_r2, not seasonally adjusted, all size classes) for Belgium by NACE Rev. 2 aggregate and quarter, with Eurostat's flags (p provisional, c confidential, : not available as NULL), to set beside the vacancies Actiris received in each pool's sector.
-- param: nace VARCHAR NACE aggregate code (A-S, B-S, C, F, G-I, J, M_N, ...), or empty for all (default NULL)
SELECT period, period_start, nace, job_vacancy_rate, flag AS job_vacancy_rate_flag, source,
       last_update
FROM context.job_vacancy_rate_be
WHERE CAST($nace AS VARCHAR) IS NULL OR nace = CAST($nace AS VARCHAR)
ORDER BY nace, period_start
