-- Economic activities (NACE) of each pool's sector: a proposed mapping from the pools' stated scope, not an official one.
-- pool_id: Pool (dim_pool).
-- nace_code: Dotted NACE-BEL 2008 code of level 2 to 4 (dim_nace); an employer's sub-class belongs to the pool when it starts with this code (employer_nace LIKE nace_code || '%').
-- nace_level: Level of nace_code: 2 division, 3 group, 4 class.
-- mapping: core (the heart of the pool's sector) or secondary (related activities).
SELECT
    pool_id,
    nace_code,
    nace_level,
    mapping
FROM ref.pool_nace
ORDER BY pool_id, nace_code
