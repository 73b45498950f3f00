-- Occupations in two classifications: ISCO-08 (levels 1 to 4) and ROME (grand domaine, professional domain, ROME v4.60 code).
-- occupation_code: Code in its classification: ISCO-08 1 to 4 digits as text (0, 01, 011, 0110); ROME grand domaine letter (H), domain (H29) or code (H2901).
-- classification: isco08 or rome (labels in dim_code, code_list classification).
-- level: Level in the classification: ISCO-08 1 major, 2 sub-major, 3 minor, 4 unit group; ROME 1 grand domaine, 2 professional domain, 3 ROME code.
-- parent_code: Code one level up in the same classification; NULL at level 1.
-- label_fr: Label in French (ESCO for ISCO-08; France Travail for ROME).
-- label_nl: Label in Dutch (ESCO for ISCO-08); NULL for ROME, published in French only (readers see the French label, marked as such).
-- label_en: Label in English (ESCO for ISCO-08); NULL for ROME, published in French only.
SELECT
    isco_code AS occupation_code,
    'isco08' AS classification,
    level,
    parent_code,
    label_fr,
    label_nl,
    label_en
FROM ref.isco
UNION ALL
SELECT
    grand_domaine_code AS occupation_code,
    'rome' AS classification,
    1 AS level,
    NULL AS parent_code,
    label_fr,
    NULL AS label_nl,
    NULL AS label_en
FROM ref.rome_grand_domaine
UNION ALL
SELECT
    domaine_code AS occupation_code,
    'rome' AS classification,
    2 AS level,
    grand_domaine_code AS parent_code,
    label_fr,
    NULL AS label_nl,
    NULL AS label_en
FROM ref.rome_domaine
UNION ALL
SELECT
    rome_code AS occupation_code,
    'rome' AS classification,
    3 AS level,
    domaine_code AS parent_code,
    label_fr,
    NULL AS label_nl,
    NULL AS label_en
FROM ref.rome
ORDER BY classification, occupation_code
