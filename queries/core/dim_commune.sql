-- The 19 communes of the Brussels-Capital Region, with population and area.
-- commune_nis: NIS code of the commune (5 digits, 21001 to 21019).
-- name_fr: Name of the commune in French.
-- name_nl: Name of the commune in Dutch.
-- population: Population on 1 January 2020 (Statbel).
-- area_km2: Approximate area in km², computed from the simplified Statbel boundary (within about 5 % of the official area).
-- nuts3: NUTS 3 code of the commune (BE100, Arr. de Bruxelles-Capitale / Arr. Brussel-Hoofdstad).
SELECT
    commune_nis,
    name_fr,
    name_nl,
    population,
    area_km2,
    nuts3
FROM ref.commune
ORDER BY commune_nis
