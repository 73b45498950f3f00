"""Labels in French, Dutch and English for the code lists of the source contracts.

Contracts (pipelines/contracts.py, with the lists of pipelines/code_lists.py) store
language-neutral snake_case codes so that a file delivered in French and one delivered in Dutch
end up with the same value. The words people read live here, once, and reach the dashboard and
exports through `ref.code` → `core.dim_code`, so a label is changed in one place and every page,
export and the data dictionary follow.

A code list is named after the contract field that carries it (`target_group`, `status`, …).
The order of the codes inside a list is their display order (`sort_order`, 1-based); it follows
the contract's tuple where that order is meaningful (age and duration bands go upwards).

`pool_id` is a code field too, but its labels are the pools' names and live in `ref.pool`
(`core.dim_pool`), with much more than a label, so it is not repeated here.
"""

from __future__ import annotations

from collections.abc import Iterator

from pipelines import code_lists as c

Labels = tuple[str, str, str]  # (fr, nl, en)

TARGET_GROUP_LABELS: dict[str, Labels] = {
    "employers": ("Employeurs", "Werkgevers", "Employers"),
    "job_seekers": ("Chercheurs d'emploi", "Werkzoekenden", "Job seekers"),
    "pupils": ("Élèves", "Leerlingen", "Pupils"),
    "interns": ("Stagiaires", "Stagiairs", "Interns"),
    "work_study_learners": (
        "Apprenants en alternance",
        "Leerlingen in alternerend leren",
        "Work-study learners",
    ),
    "employees": (
        "Travailleurs (formation continue, reconversion)",
        "Werknemers (bij- en omscholing)",
        "Employees (upskilling, reskilling)",
    ),
    "students": ("Étudiants", "Studenten", "Students"),
    "trainers_teachers": (
        "Formateurs et enseignants",
        "Opleiders en leerkrachten",
        "Trainers and teachers",
    ),
}

FUNCTION_LABELS: dict[str, Labels] = {
    "advanced_equipment": (
        "Équipements de pointe",
        "Geavanceerde uitrusting",
        "Advanced equipment",
    ),
    "equipment_lending": (
        "Prêt d'équipements",
        "Uitlening van uitrusting",
        "Equipment lending",
    ),
    "competence_validation": (
        "Définition et validation des compétences",
        "Bepaling en validering van competenties",
        "Competence definition and validation",
    ),
    "trade_information": (
        "Information et sensibilisation aux métiers",
        "Informatie en sensibilisering over de beroepen",
        "Information and awareness about trades",
    ),
    "orientation_trial": (
        "Orientation et essais métiers",
        "Oriëntatie en beroepsproeven",
        "Orientation and trade trials",
    ),
    "job_matching": (
        "Observation du secteur et mise à l'emploi",
        "Sectorobservatie en matching naar werk",
        "Sector observation and job matching",
    ),
}

# One sentence per function, shown next to the function's indicators so a reader knows what is
# counted. Wording follows the six missions every pool takes on.
FUNCTION_DESCRIPTIONS: dict[str, Labels] = {
    "advanced_equipment": (
        "Mise à disposition d'équipements et d'infrastructures de pointe pour former "
        "chercheurs d'emploi, travailleurs, élèves et étudiants.",
        "Terbeschikkingstelling van geavanceerde uitrusting en infrastructuur om werkzoekenden, "
        "werknemers, leerlingen en studenten op te leiden.",
        "State-of-the-art equipment and facilities made available to train job seekers, "
        "employees, pupils and students.",
    ),
    "equipment_lending": (
        "Prêt d'équipements et de matériel didactique aux écoles et aux opérateurs de formation.",
        "Uitlening van uitrusting en didactisch materiaal aan scholen en opleidingsverstrekkers.",
        "Equipment and teaching material lent to schools and training providers.",
    ),
    "competence_validation": (
        "Définition des compétences attendues par le secteur et validation des compétences "
        "acquises.",
        "Bepaling van de competenties die de sector verwacht en validering van verworven "
        "competenties.",
        "Defining the competences the sector expects and validating competences people have "
        "acquired.",
    ),
    "trade_information": (
        "Information et sensibilisation du public aux métiers du secteur et à leurs débouchés.",
        "Informatie en sensibilisering van het publiek over de beroepen van de sector en hun "
        "vooruitzichten.",
        "Informing the public and raising awareness of the sector's trades and their prospects.",
    ),
    "orientation_trial": (
        "Orientation vers les métiers du secteur et essais en conditions réelles.",
        "Oriëntatie naar de beroepen van de sector en proeven in reële omstandigheden.",
        "Guidance towards the sector's trades and hands-on trials in real conditions.",
    ),
    "job_matching": (
        "Observation des besoins du secteur et mise en relation des personnes formées avec les "
        "employeurs.",
        "Observatie van de noden van de sector en matching van opgeleide personen met werkgevers.",
        "Observing the sector's needs and matching trained people with employers.",
    ),
}

SEX_LABELS: dict[str, Labels] = {
    "F": ("Femmes", "Vrouwen", "Women"),
    "M": ("Hommes", "Mannen", "Men"),
    "X": ("X (autre)", "X (ander)", "X (other)"),
}

EDUCATION_LEVEL_LABELS: dict[str, Labels] = {
    "low": (
        "Faible (au plus secondaire inférieur)",
        "Laag (hoogstens lager secundair)",
        "Low (at most lower secondary)",
    ),
    "medium": (
        "Moyen (secondaire supérieur)",
        "Middel (hoger secundair)",
        "Medium (upper secondary)",
    ),
    "high": (
        "Élevé (enseignement supérieur)",
        "Hoog (hoger onderwijs)",
        "High (higher education)",
    ),
    "other": (
        "Autres (dont études à l'étranger sans équivalence)",
        "Andere (waaronder buitenlandse studies zonder gelijkwaardigheid)",
        "Other (incl. foreign studies without equivalence)",
    ),
}

STATUS_LABELS: dict[str, Labels] = {
    "ongoing": ("En cours", "Lopend", "Ongoing"),
    "completed": ("Formation terminée", "Opleiding afgerond", "Completed"),
    "dropped_out": ("Abandon", "Vroegtijdig gestopt", "Dropped out"),
}

CONTRACT_TYPE_LABELS: dict[str, Labels] = {
    "permanent": (
        "Contrat à durée indéterminée",
        "Arbeidsovereenkomst van onbepaalde duur",
        "Permanent contract",
    ),
    "fixed_term": (
        "Contrat à durée déterminée",
        "Arbeidsovereenkomst van bepaalde duur",
        "Fixed-term contract",
    ),
    "temporary_agency": ("Travail intérimaire", "Uitzendarbeid", "Temporary agency work"),
    "work_study": (
        "Contrat en alternance",
        "Overeenkomst alternerend leren",
        "Work-study contract",
    ),
    "self_employed": ("Indépendant", "Zelfstandige", "Self-employed"),
    "other": ("Autre", "Andere", "Other"),
}

OUTCOME_LABELS: dict[str, Labels] = {
    "open": ("Ouverte", "Openstaand", "Open"),
    "filled": ("Satisfaite", "Ingevuld", "Filled"),
    "cancelled": ("Annulée", "Geannuleerd", "Cancelled"),
    "expired": ("Expirée", "Verlopen", "Expired"),
}

AGE_BAND_LABELS: dict[str, Labels] = {
    "lt25": ("Moins de 25 ans", "Jonger dan 25 jaar", "Under 25"),
    "25_49": ("25 à 49 ans", "25 tot 49 jaar", "25 to 49"),
    "ge50": ("50 ans et plus", "50 jaar en ouder", "50 and over"),
}

DURATION_BAND_LABELS: dict[str, Labels] = {
    "lt6m": ("Moins de 6 mois", "Minder dan 6 maanden", "Less than 6 months"),
    "6_12m": ("De 6 mois à moins d'1 an", "6 maanden tot minder dan 1 jaar", "6 to 12 months"),
    "1_2y": ("D'1 an à moins de 2 ans", "1 jaar tot minder dan 2 jaar", "1 to 2 years"),
    "ge2y": ("2 ans et plus", "2 jaar en meer", "2 years and more"),
}

# Lists that are not contract fields but label values of the reference dimensions.
POOL_STATUS_LABELS: dict[str, Labels] = {
    "operational": ("En activité", "Operationeel", "Operational"),
    "planned": ("En projet", "Gepland", "Planned"),
}

NACE_MAPPING_LABELS: dict[str, Labels] = {
    "core": ("Cœur du secteur", "Kern van de sector", "Core of the sector"),
    "secondary": ("Secondaire", "Secundair", "Secondary"),
}

CLASSIFICATION_LABELS: dict[str, Labels] = {
    "isco08": ("CITP-08", "ISCO-08", "ISCO-08"),
    "rome": ("ROME", "ROME", "ROME"),
}

CODE_LABELS: dict[str, dict[str, Labels]] = {
    "target_group": TARGET_GROUP_LABELS,
    "function": FUNCTION_LABELS,
    "sex": SEX_LABELS,
    "education_level": EDUCATION_LEVEL_LABELS,
    "status": STATUS_LABELS,
    "contract_type": CONTRACT_TYPE_LABELS,
    "outcome": OUTCOME_LABELS,
    "age_band": AGE_BAND_LABELS,
    "duration_band": DURATION_BAND_LABELS,
    "pool_status": POOL_STATUS_LABELS,
    "nace_mapping": NACE_MAPPING_LABELS,
    "classification": CLASSIFICATION_LABELS,
}

# The contract tuple each list must cover exactly; checked by `check_code_labels` (and a test),
# so adding a code to a contract without a label fails loudly instead of showing a raw code.
CONTRACT_CODE_LISTS: dict[str, tuple[str, ...]] = {
    "target_group": c.TARGET_GROUPS,
    "function": c.POOL_FUNCTIONS,
    "sex": c.SEXES,
    "education_level": c.EDUCATION_LEVELS,
    "status": c.ENROLMENT_STATUSES,
    "contract_type": c.CONTRACT_TYPES,
    "outcome": c.VACANCY_OUTCOMES,
    "age_band": c.AGE_BANDS,
    "duration_band": c.DURATION_BANDS,
}


def check_code_labels() -> None:
    """Raise ValueError when a contract code has no label, a label has no code, or a list is
    ordered differently from its contract tuple."""
    for name, codes in CONTRACT_CODE_LISTS.items():
        labelled = tuple(CODE_LABELS[name])
        if labelled != codes:
            raise ValueError(f"code list {name!r}: labels {labelled} != contract codes {codes}")
    if tuple(FUNCTION_DESCRIPTIONS) != c.POOL_FUNCTIONS:
        raise ValueError("FUNCTION_DESCRIPTIONS must describe exactly the six pool functions")
    for name, labels in CODE_LABELS.items():
        for code, triple in labels.items():
            if len(triple) != 3 or not all(text.strip() for text in triple):
                raise ValueError(f"code {name}.{code}: need three non-empty labels")


def code_rows() -> Iterator[tuple[str, str, str, str, str, int]]:
    """(code_list, code, label_fr, label_nl, label_en, sort_order) for every labelled code,
    the rows of `ref.code`."""
    for name, labels in CODE_LABELS.items():
        for order, (code, (fr, nl, en)) in enumerate(labels.items(), start=1):
            yield name, code, fr, nl, en, order


def function_rows() -> Iterator[tuple[str, str, str, str, str, str, str, int]]:
    """(function_id, name_fr/nl/en, description_fr/nl/en, sort_order), the rows of
    `ref.pool_function`."""
    for order, function_id in enumerate(c.POOL_FUNCTIONS, start=1):
        name = FUNCTION_LABELS[function_id]
        text = FUNCTION_DESCRIPTIONS[function_id]
        yield function_id, *name, *text, order
