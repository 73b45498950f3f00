"""The code lists of the source contracts: language-neutral codes and the aliases they arrive as.

Why a module of its own: the contracts (pipelines/contracts.py) say which field takes which
list; the lists themselves are shared by several sources, by the reference tables and by the
labels of pipelines/codes.py. Codes are English snake_case; labels in three languages live in
pipelines/codes.py (CODE_LABELS) and reach the dashboard through published dimensions.
"""

from __future__ import annotations

POOL_IDS: tuple[str, ...] = (
    "technicity",
    "digitalcity",
    "logisticity",
    "construcity",
    "horeca",
    "security",
    "automotive",
    "media",
    "tourism_culture_events",
    "city_professions",
    "graphic_industry",
    "personal_assistance",
)

TARGET_GROUPS: tuple[str, ...] = (
    "employers",
    "job_seekers",
    "pupils",
    "interns",
    "work_study_learners",
    "employees",
    "students",
    "trainers_teachers",
)

POOL_FUNCTIONS: tuple[str, ...] = (
    "advanced_equipment",
    "equipment_lending",
    "competence_validation",
    "trade_information",
    "orientation_trial",
    "job_matching",
)

SEXES: tuple[str, ...] = ("F", "M", "X")
SEX_ALIASES = {
    "f": "F",
    "femme": "F",
    "vrouw": "F",
    "v": "F",
    "female": "F",
    "w": "F",
    "m": "M",
    "homme": "M",
    "man": "M",
    "h": "M",
    "male": "M",
    "x": "X",
    "autre": "X",
    "ander": "X",
    "other": "X",
}

EDUCATION_LEVELS: tuple[str, ...] = ("low", "medium", "high", "other")
EDUCATION_ALIASES = {
    "faible": "low",
    "laag": "low",
    "moyen": "medium",
    "middel": "medium",
    "gemiddeld": "medium",
    "eleve": "high",
    "élevé": "high",
    "hoog": "high",
    "autre": "other",
    "andere": "other",
    "foreign": "other",
    "etranger": "other",
}

ENROLMENT_STATUSES: tuple[str, ...] = ("ongoing", "completed", "dropped_out")
ENROLMENT_STATUS_ALIASES = {
    "en cours": "ongoing",
    "lopend": "ongoing",
    "in_progress": "ongoing",
    "termine": "completed",
    "terminé": "completed",
    "afgerond": "completed",
    "finished": "completed",
    "abandon": "dropped_out",
    "abandonne": "dropped_out",
    "uitval": "dropped_out",
    "dropout": "dropped_out",
    "drop_out": "dropped_out",
}

CONTRACT_TYPES: tuple[str, ...] = (
    "permanent",
    "fixed_term",
    "temporary_agency",
    "work_study",
    "self_employed",
    "other",
)
CONTRACT_TYPE_ALIASES = {
    "cdi": "permanent",
    "cdd": "fixed_term",
    "interim": "temporary_agency",
    "intérim": "temporary_agency",
    "onbepaalde_duur": "permanent",
    "bepaalde_duur": "fixed_term",
    "uitzend": "temporary_agency",
    "independant": "self_employed",
    "zelfstandige": "self_employed",
}

VACANCY_OUTCOMES: tuple[str, ...] = ("open", "filled", "cancelled", "expired")
VACANCY_OUTCOME_ALIASES = {
    "ouverte": "open",
    "pourvue": "filled",
    "satisfaite": "filled",
    "ingevuld": "filled",
    "annulee": "cancelled",
    "annulée": "cancelled",
    "geannuleerd": "cancelled",
    "expiree": "expired",
    "expirée": "expired",
    "verlopen": "expired",
}

AGE_BANDS: tuple[str, ...] = ("lt25", "25_49", "ge50")
AGE_BAND_ALIASES = {"<25": "lt25", "-25": "lt25", "25-49": "25_49", "50+": "ge50", ">=50": "ge50"}

DURATION_BANDS: tuple[str, ...] = ("lt6m", "6_12m", "1_2y", "ge2y")
DURATION_BAND_ALIASES = {
    "<6m": "lt6m",
    "< 6 mois": "lt6m",
    "6-12m": "6_12m",
    "1-2y": "1_2y",
    "2y+": "ge2y",
    ">=2y": "ge2y",
}
