-- The twelve Brussels training and employment pools (pôles formation-emploi), operational and planned.
-- pool_id: Pool code used in every source (technicity, digitalcity, …).
-- short_name: Short public name of the pool (brand, e.g. Technicity.brussels).
-- name_fr: Name of the pool in French.
-- name_nl: Name of the pool in Dutch.
-- name_en: Name of the pool in English.
-- sector_fr: Sector the pool covers, in French.
-- sector_nl: Sector the pool covers, in Dutch.
-- sector_en: Sector the pool covers, in English.
-- status: operational or planned (labels in dim_code, code_list pool_status).
-- opening_month: First month of operation (first day of the month); when the sources give only a year, January of that year; NULL for a planned pool.
-- commune_nis: NIS code of the commune of the pool's main site; NULL when not confirmed.
-- competitiveness_pole_fr: Territorial competitiveness pole of the founding text the pool is tied to, in French; NULL when none is named.
-- competitiveness_pole_nl: Territorial competitiveness pole of the founding text, in Dutch.
-- competitiveness_pole_en: Territorial competitiveness pole of the founding text, in English.
-- site_note: What public sources say about the pool's site.
SELECT
    pool_id,
    short_name,
    regexp_replace(name_fr, '\s*\(planned\)\s*$', '') AS name_fr,
    regexp_replace(name_nl, '\s*\(gepland\)\s*$', '') AS name_nl,
    name_en,
    sector_fr,
    sector_nl,
    sector_en,
    status,
    opening_month,
    commune_nis,
    competitiveness_pole_fr,
    competitiveness_pole_nl,
    competitiveness_pole_en,
    site_note
FROM ref.pool
ORDER BY sort_order
