-- Monthly stock of registered unemployed job seekers (DEI), one row per cell.
-- month: Month of the stock (first day of the month).
-- occupation_isco: Occupation sought, ISCO-08 code.
-- occupation_rome: Occupation sought, ROME code.
-- commune_nis: NIS code of the commune of residence.
-- sex: F, M or X.
-- age_band: lt25, 25_49 or ge50.
-- duration_band: Unemployment duration band: lt6m, 6_12m, 1_2y, ge2y.
-- education_level: low, medium, high, other.
-- jobseeker_count: Number of job seekers in the cell.
SELECT month, occupation_isco, occupation_rome, commune_nis, sex, age_band, duration_band,
       education_level, jobseeker_count
FROM staging.stg_jobseekers
