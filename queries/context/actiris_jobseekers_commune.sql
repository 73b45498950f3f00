-- Registered unemployed job seekers (DEI) per Brussels commune, sex and study level, annual average, as published by Actiris on opendata.brussels.
-- year: Reference year.
-- commune_nis: NIS code of the commune.
-- sex: T total, M men, F women.
-- education: Study level: low, medium, high, other, total.
-- jobseeker_count: Annual average number of registered unemployed job seekers.
-- source: Publisher.
SELECT CAST(period AS INTEGER) AS year, geo AS commune_nis, sex, education,
       value AS jobseeker_count, source
FROM context.official_series
WHERE dataset = 'actiris_dei_commune_sex_education' AND unit = 'PER'
