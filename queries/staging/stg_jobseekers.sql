-- Monthly job-seeker stock cells, one row per cell: a month delivered again in a later file replaces the earlier cells of that month.
-- month: Month of the stock (first day of the month).
-- occupation_isco: Occupation sought, ISCO-08 code.
-- occupation_rome: Occupation sought, ROME code.
-- commune_nis: NIS code of the commune of residence.
-- sex: F, M or X.
-- age_band: lt25, 25_49 or ge50.
-- duration_band: Unemployment duration band: lt6m, 6_12m, 1_2y, ge2y.
-- education_level: low, medium, high, other.
-- jobseeker_count: Number of job seekers in the cell.
-- load_id: Load that brought the row (meta.load_manifest).
-- source_file: File the row came from.
WITH latest_month AS (
    SELECT month, max(load_id) AS load_id FROM raw.jobseekers GROUP BY month
)
SELECT r.month, r.occupation_isco, r.occupation_rome, r.commune_nis, r.sex, r.age_band,
       r.duration_band, r.education_level, r.jobseeker_count, r.load_id, r.source_file
FROM raw.jobseekers r
JOIN latest_month l USING (month, load_id)
