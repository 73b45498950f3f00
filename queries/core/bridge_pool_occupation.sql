-- Occupations of each pool's trades, in ISCO-08 and ROME: a proposed mapping from the pools' training offer, not an official one.
-- pool_id: Pool (dim_pool).
-- classification: isco08 or rome.
-- occupation_code: ISCO-08 unit group (4 digits) or ROME code (dim_occupation, same classification).
SELECT
    pool_id,
    'isco08' AS classification,
    isco_code AS occupation_code
FROM ref.pool_isco
UNION ALL
SELECT
    pool_id,
    'rome' AS classification,
    rome_code AS occupation_code
FROM ref.pool_rome
ORDER BY pool_id, classification, occupation_code
