-- The six functions every pool takes on, with their names and one-line descriptions in three languages.
-- function_id: Function code used in pool activity records (fct_pool_activity.function).
-- name_fr: Name of the function in French.
-- name_nl: Name of the function in Dutch.
-- name_en: Name of the function in English.
-- description_fr: What the function covers, in French.
-- description_nl: What the function covers, in Dutch.
-- description_en: What the function covers, in English.
-- sort_order: Display order of the function.
SELECT
    function_id,
    name_fr,
    name_nl,
    name_en,
    description_fr,
    description_nl,
    description_en,
    sort_order
FROM ref.pool_function
ORDER BY sort_order
