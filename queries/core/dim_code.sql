-- Labels in French, Dutch and English of the coded values used in the facts and marts (sex, target group, status, bands, …).
-- code_list: Name of the code list, the name of the column that carries the code (sex, target_group, status, contract_type, outcome, age_band, duration_band, education_level, function) or pool_status, nace_mapping, classification.
-- code: The code as stored in the warehouse.
-- label_fr: Label in French.
-- label_nl: Label in Dutch.
-- label_en: Label in English.
-- sort_order: Display order of the code within its list (1 first).
SELECT
    code_list,
    code,
    label_fr,
    label_nl,
    label_en,
    sort_order
FROM ref.code
ORDER BY code_list, sort_order
