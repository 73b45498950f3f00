-- One job start of a person known to the pools.
-- placement_id: Identifier of the job start.
-- person_id: Pseudonym of the person (HMAC-SHA256 of the INSZ).
-- start_date: First day of the job.
-- end_date: Last day of the job; NULL while it lasts.
-- start_month: Month of the start (first day of the month).
-- duration_days: Days from start to end inclusive; NULL while the job lasts.
-- employer_nace: NACE-BEL 2008 activity of the employer, dotted notation.
-- nace_section: NACE section letter of the employer.
-- nace_division: NACE division (two digits) of the employer.
-- occupation_isco: Occupation, ISCO-08 code.
-- occupation_rome: Occupation, ROME code.
-- contract_type: Contract type.
-- load_id: Load that brought the row.
SELECT p.placement_id, p.person_id, p.start_date, p.end_date,
       date_trunc('month', p.start_date)::DATE AS start_month,
       CASE WHEN p.end_date IS NULL THEN NULL ELSE date_diff('day', p.start_date, p.end_date) + 1 END
           AS duration_days,
       p.employer_nace,
       n.section AS nace_section,
       left(p.employer_nace, 2) AS nace_division,
       p.occupation_isco, p.occupation_rome, p.contract_type, p.load_id
FROM staging.stg_placements p
LEFT JOIN core.dim_nace n ON n.nace_code = p.employer_nace
