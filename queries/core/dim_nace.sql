-- NACE-BEL 2008 economic activities, every level from section to Belgian sub-class (levels 1 to 4 are NACE Rev. 2).
-- nace_code: Dotted NACE code with leading zeros: section letter (J), division (62), group (62.0), class (62.01) or sub-class (62.010).
-- code_compact: The code without dots, leading zeros kept (0111, 62010); the section letter at level 1.
-- level: 1 section, 2 division, 3 group, 4 class, 5 Belgian sub-class.
-- parent_code: Dotted code one level up (the section letter for a division); NULL for a section.
-- section: Section letter the code belongs to.
-- label_fr: Label in French (Statbel).
-- label_nl: Label in Dutch (Statbel).
-- label_en: Label in English (Statbel); NULL for sub-classes, which Statbel publishes without an English label.
-- nace_version: Version of the classification (NACE-BEL 2008).
SELECT
    nace_code,
    code_compact,
    level,
    parent_code,
    section,
    label_fr,
    label_nl,
    label_en,
    nace_version
FROM ref.nace
ORDER BY section, code_compact
