-- One vacancy received by Actiris.
-- incremental: vacancy_id from staging.stg_vacancies
-- vacancy_id: Identifier of the vacancy.
-- received_date: Day the vacancy was received.
-- received_month: Month received (first day of the month).
-- closed_date: Day the vacancy was closed; NULL while open.
-- occupation_isco: Occupation, ISCO-08 code.
-- occupation_rome: Occupation, ROME code.
-- nace: NACE-BEL 2008 activity of the employer, dotted notation.
-- nace_section: NACE section letter.
-- nace_division: NACE division (two digits).
-- commune_nis: NIS code of the workplace commune.
-- position_count: Number of positions offered.
-- outcome: open, filled, cancelled or expired.
-- is_filled: The vacancy was filled.
-- days_open: Days from receipt to closing; NULL while open.
-- load_id: Load that brought the row.
SELECT v.vacancy_id, v.received_date,
       date_trunc('month', v.received_date)::DATE AS received_month,
       v.closed_date, v.occupation_isco, v.occupation_rome, v.nace,
       n.section AS nace_section,
       left(v.nace, 2) AS nace_division,
       v.commune_nis, v.position_count, v.outcome,
       v.outcome = 'filled' AS is_filled,
       CASE WHEN v.closed_date IS NULL THEN NULL ELSE date_diff('day', v.received_date, v.closed_date) END
           AS days_open,
       v.load_id
FROM staging.stg_vacancies v
LEFT JOIN core.dim_nace n ON n.nace_code = v.nace
