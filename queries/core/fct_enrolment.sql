-- One trainee in one programme. "Completed" means the whole programme was finished (status completed), not one module.
-- enrolment_id: Identifier of the enrolment in the delivering system.
-- person_id: Pseudonym of the trainee (HMAC-SHA256 of the INSZ).
-- pool_id: Pool running the programme.
-- programme_id: Code of the programme.
-- programme_name: Name of the programme as delivered.
-- target_group: Target group of the founding text.
-- start_date: First day in the programme.
-- end_date: Last day in the programme; NULL while ongoing.
-- start_month: Month of the start (first day of the month).
-- end_month: Month of the end (first day of the month); NULL while ongoing.
-- status: ongoing, completed or dropped_out.
-- is_completed: The whole programme was completed.
-- is_dropped_out: The trainee left before the end of the programme.
-- has_certificate: The programme's certificate was obtained.
-- sex: F, M or X.
-- birth_year: Year of birth.
-- age_at_start: Age in whole years at the start, from the birth year (start year minus birth year).
-- age_band: Age band at the start: lt25, 25_49, ge50; NULL when the birth year is unknown.
-- commune_nis: NIS code of the commune of residence.
-- is_brussels_resident: The commune of residence is one of the 19 Brussels communes.
-- education_level: low, medium, high, other.
-- load_id: Load that brought the row.
SELECT e.enrolment_id, e.person_id, e.pool_id, e.programme_id, e.programme_name, e.target_group,
       e.start_date, e.end_date,
       date_trunc('month', e.start_date)::DATE AS start_month,
       date_trunc('month', e.end_date)::DATE AS end_month,
       e.status,
       e.status = 'completed' AS is_completed,
       e.status = 'dropped_out' AS is_dropped_out,
       e.has_certificate, e.sex, e.birth_year,
       year(e.start_date) - e.birth_year AS age_at_start,
       CASE
           WHEN e.birth_year IS NULL THEN NULL
           WHEN year(e.start_date) - e.birth_year < 25 THEN 'lt25'
           WHEN year(e.start_date) - e.birth_year < 50 THEN '25_49'
           ELSE 'ge50'
       END AS age_band,
       e.commune_nis,
       e.commune_nis IN (SELECT commune_nis FROM core.dim_commune) AS is_brussels_resident,
       e.education_level, e.load_id
FROM staging.stg_enrolments e
