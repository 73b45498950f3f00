"""Source contracts: each delivered source described once.

A contract lists a source's fields with their kind (which fixes how the reader types them and how
validation checks them), their code lists, the source's key, and which fields are personal. The
same description drives reading (explicit types, header aliases), validation (quarantine reasons),
pseudonymisation (what is hashed, reduced or dropped), the data dictionary and the demo generator,
so a change to a source is made in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from pipelines.code_lists import (
    AGE_BAND_ALIASES,
    AGE_BANDS,
    CONTRACT_TYPE_ALIASES,
    CONTRACT_TYPES,
    DURATION_BAND_ALIASES,
    DURATION_BANDS,
    EDUCATION_ALIASES,
    EDUCATION_LEVELS,
    ENROLMENT_STATUS_ALIASES,
    ENROLMENT_STATUSES,
    POOL_FUNCTIONS,
    POOL_IDS,
    SEX_ALIASES,
    SEXES,
    TARGET_GROUPS,
    VACANCY_OUTCOME_ALIASES,
    VACANCY_OUTCOMES,
)

# How a field is read and checked. Every kind is read as text first, so nothing is guessed:
#   text   free text (kept as is, trimmed)
#   code   a value from `codes` (matching after `value_aliases`, case-insensitive)
#   int    whole number (negative refused unless min_value allows it)
#   float  decimal number, `,` or `.` as decimal separator
#   date   a day: ISO, DD/MM/YYYY, DD-MM-YYYY, DD.MM.YYYY or an Excel serial number
#   month  a month: YYYY-MM, MM/YYYY, or a date (its month is kept)
#   year   a four-digit year
#   insz   Belgian national register number (11 digits, mod-97 check); pseudonymised
#   nis    a 5-digit NIS commune code (leading zeros restored)
#   nace   NACE code, with or without dots, leading zeros restored, stored dotted ("02.10")
#   isco   ISCO-08 code, 1 to 4 digits, kept as text
#   rome   ROME code, a letter and four digits ("H2901")
#   bool   yes/no in FR/NL/EN, 1/0, true/false
Kind = Literal[
    "text",
    "code",
    "int",
    "float",
    "date",
    "month",
    "year",
    "insz",
    "nis",
    "nace",
    "isco",
    "rome",
    "bool",
]

# What happens to a personal field before anything reaches DuckDB.
#   pseudonymise  replaced by an HMAC-SHA256 pseudonym in `<stored_as>` (person_id)
#   year_only     a date reduced to its year in `<stored_as>` (birth_year)
Personal = Literal["pseudonymise", "year_only"]

# Columns that a delivered file may carry but that never enter the warehouse: dropped on reading,
# whatever the source. Matched on the normalised header name (see `normalise_header`).
DROPPED_COLUMNS: frozenset[str] = frozenset(
    {
        "name",
        "first_name",
        "last_name",
        "surname",
        "given_name",
        "full_name",
        "nom",
        "prenom",
        "naam",
        "voornaam",
        "achternaam",
        "address",
        "adresse",
        "adres",
        "street",
        "rue",
        "straat",
        "house_number",
        "phone",
        "telephone",
        "tel",
        "gsm",
        "mobile",
        "telefoon",
        "email",
        "e_mail",
        "mail",
        "courriel",
    }
)


@dataclass(frozen=True)
class Field:
    """One column of a source as the observatory understands it."""

    name: str
    kind: Kind
    description: str
    required: bool = True  # the column must be present in the file
    nullable: bool = False  # an empty cell is allowed
    codes: tuple[str, ...] = ()  # for kind "code": the allowed values
    value_aliases: dict[str, str] = field(default_factory=dict)  # delivered value -> code
    reference: str | None = None  # dimension the value must exist in: pool, commune, nace, ...
    personal: Personal | None = None
    stored_as: str | None = None  # name in the warehouse when it differs (person_id, birth_year)
    aliases: tuple[str, ...] = ()  # other header names seen in delivered files
    min_value: float | None = None
    max_value: float | None = None

    @property
    def warehouse_name(self) -> str:
        return self.stored_as or self.name


@dataclass(frozen=True)
class Contract:
    """A source: its grain, fields, key and row-level rules."""

    source: str
    grain: str
    description: str
    publisher: str
    fields: tuple[Field, ...]
    key: tuple[str, ...]
    person_level: bool
    # (start, end): end may not be before start
    date_order: tuple[tuple[str, str], ...] = ()
    # groups of fields of which at least one must be filled
    one_of: tuple[tuple[str, ...], ...] = ()
    # dates may not lie after the delivery (load) date
    no_future: tuple[str, ...] = ()

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.source} has no field {name!r}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)

    @property
    def warehouse_columns(self) -> tuple[str, ...]:
        """Columns of raw.<source>, in order, after pseudonymisation."""
        return tuple(f.warehouse_name for f in self.fields)


def normalise_header(name: str) -> str:
    """Lower-case ascii snake_case of a delivered header, so `Date début`, `date_debut` and
    ` DATE-DEBUT ` match the same alias."""
    import unicodedata

    text = unicodedata.normalize("NFKD", name.replace("\ufeff", "")).encode("ascii", "ignore")
    out = []
    for ch in text.decode().strip().lower():
        out.append(ch if ch.isalnum() else "_")
    return "_".join(part for part in "".join(out).split("_") if part)


_PERSON = Field(
    "insz",
    "insz",
    "National register number (INSZ/NISS) of the person; replaced by a pseudonym "
    "(HMAC-SHA256) before anything is stored.",
    personal="pseudonymise",
    stored_as="person_id",
    aliases=(
        "niss",
        "rijksregisternummer",
        "national_number",
        "numero_national",
        "person_insz",
        "rrn",
    ),
)


def _occupation_fields(label: str) -> tuple[Field, Field]:
    """The occupation as ISCO-08 and/or ROME: optional each, at least one per row (`one_of`)."""
    return (
        Field(
            "occupation_isco",
            "isco",
            f"{label}, ISCO-08.",
            required=False,
            nullable=True,
            reference="isco",
            aliases=("isco", "isco08"),
        ),
        Field(
            "occupation_rome",
            "rome",
            f"{label}, ROME.",
            required=False,
            nullable=True,
            reference="rome",
            aliases=("rome", "code_rome"),
        ),
    )


ENROLMENTS = Contract(
    source="enrolments",
    grain="one trainee in one programme",
    description="Enrolments of trainees in the pools' programmes, from Bruxelles Formation, "
    "VDAB Brussel and the pools.",
    publisher="Bruxelles Formation / pools",
    person_level=True,
    key=("enrolment_id",),
    date_order=(("start_date", "end_date"),),
    no_future=("start_date",),
    fields=(
        Field(
            "enrolment_id",
            "text",
            "Identifier of the enrolment in the delivering system.",
            aliases=("id", "inscription_id", "inschrijving_id"),
        ),
        _PERSON,
        Field(
            "pool_id",
            "code",
            "Pool running the programme.",
            codes=POOL_IDS,
            reference="pool",
            aliases=("pool", "pole", "pool_code"),
        ),
        Field(
            "programme_id",
            "text",
            "Code of the programme (a whole programme, not a module).",
            aliases=("programme", "programma", "formation_id", "opleiding_id"),
        ),
        Field(
            "programme_name",
            "text",
            "Name of the programme as delivered.",
            required=False,
            nullable=True,
            aliases=("programme_label", "formation", "opleiding"),
        ),
        Field(
            "target_group",
            "code",
            "Target group of the founding text.",
            codes=TARGET_GROUPS,
            aliases=("public", "doelgroep", "groupe_cible"),
        ),
        Field(
            "start_date",
            "date",
            "First day in the programme.",
            aliases=("date_debut", "begindatum", "start"),
        ),
        Field(
            "end_date",
            "date",
            "Last day in the programme; empty while ongoing.",
            nullable=True,
            aliases=("date_fin", "einddatum", "end"),
        ),
        Field(
            "status",
            "code",
            "ongoing, completed (the whole programme) or dropped_out.",
            codes=ENROLMENT_STATUSES,
            value_aliases=ENROLMENT_STATUS_ALIASES,
            aliases=("statut", "statuut"),
        ),
        Field(
            "has_certificate",
            "bool",
            "Whether the programme's certificate was obtained.",
            aliases=("certificate", "certificat", "attest", "certified"),
        ),
        Field(
            "sex",
            "code",
            "Sex as registered: F, M or X.",
            codes=SEXES,
            value_aliases=SEX_ALIASES,
            aliases=("sexe", "geslacht", "gender", "genre"),
        ),
        Field(
            "birth_date",
            "date",
            "Birth date; only its year is kept.",
            required=False,
            nullable=True,
            personal="year_only",
            stored_as="birth_year",
            aliases=("date_naissance", "geboortedatum", "date_of_birth"),
        ),
        Field(
            "commune_nis",
            "nis",
            "NIS code of the commune of residence (any Belgian commune).",
            nullable=True,
            aliases=("commune", "gemeente", "nis_code", "residence_nis"),
        ),
        Field(
            "education_level",
            "code",
            "Highest education level: low, medium, high, other.",
            codes=EDUCATION_LEVELS,
            value_aliases=EDUCATION_ALIASES,
            aliases=("niveau_etudes", "studieniveau", "education"),
        ),
    ),
)

PLACEMENTS = Contract(
    source="placements",
    grain="one job start",
    description="Job starts of people known to the pools, matched by Actiris / Bruxelles "
    "Formation from social-security declarations.",
    publisher="Actiris / Bruxelles Formation",
    person_level=True,
    key=("placement_id",),
    date_order=(("start_date", "end_date"),),
    no_future=("start_date",),
    one_of=(("occupation_isco", "occupation_rome"),),
    fields=(
        Field("placement_id", "text", "Identifier of the job start.", aliases=("id",)),
        _PERSON,
        Field(
            "start_date",
            "date",
            "First day of the job.",
            aliases=("date_debut", "begindatum", "start"),
        ),
        Field(
            "end_date",
            "date",
            "Last day of the job; empty while it lasts.",
            nullable=True,
            aliases=("date_fin", "einddatum", "end"),
        ),
        Field(
            "employer_nace",
            "nace",
            "NACE-BEL 2008 activity of the employer.",
            reference="nace",
            aliases=("nace", "nace_code", "employer_nace_code"),
        ),
        *_occupation_fields("Occupation"),
        Field(
            "contract_type",
            "code",
            "Contract type.",
            codes=CONTRACT_TYPES,
            value_aliases=CONTRACT_TYPE_ALIASES,
            aliases=("type_contrat", "contracttype"),
        ),
    ),
)

VACANCIES = Contract(
    source="vacancies",
    grain="one vacancy received",
    description="Vacancies received by Actiris.",
    publisher="Actiris",
    person_level=False,
    key=("vacancy_id",),
    date_order=(("received_date", "closed_date"),),
    no_future=("received_date",),
    one_of=(("occupation_isco", "occupation_rome"),),
    fields=(
        Field(
            "vacancy_id",
            "text",
            "Identifier of the vacancy.",
            aliases=("id", "offre_id", "vacature_id"),
        ),
        Field(
            "received_date",
            "date",
            "Day the vacancy was received.",
            aliases=("date_reception", "ontvangstdatum"),
        ),
        Field(
            "closed_date",
            "date",
            "Day the vacancy was closed; empty while open.",
            nullable=True,
            aliases=("date_cloture", "afsluitdatum"),
        ),
        *_occupation_fields("Occupation"),
        Field(
            "nace",
            "nace",
            "NACE-BEL 2008 activity of the employer.",
            nullable=True,
            reference="nace",
            aliases=("nace_code", "employer_nace"),
        ),
        Field(
            "commune_nis",
            "nis",
            "NIS code of the workplace commune.",
            nullable=True,
            aliases=("commune", "gemeente", "nis_code"),
        ),
        Field(
            "position_count",
            "int",
            "Number of positions offered.",
            min_value=1,
            aliases=("positions", "postes", "plaatsen"),
        ),
        Field(
            "outcome",
            "code",
            "open, filled, cancelled or expired.",
            codes=VACANCY_OUTCOMES,
            value_aliases=VACANCY_OUTCOME_ALIASES,
            aliases=("resultat", "resultaat", "status"),
        ),
    ),
)

JOBSEEKERS = Contract(
    source="jobseekers",
    grain="monthly stock of unemployed job seekers (DEI), aggregated",
    description="Monthly stock of registered unemployed job seekers (DEI) by occupation sought, "
    "commune, sex, age band, unemployment duration band and education level.",
    publisher="Actiris",
    person_level=False,
    key=(
        "month",
        "occupation_isco",
        "occupation_rome",
        "commune_nis",
        "sex",
        "age_band",
        "duration_band",
        "education_level",
    ),
    one_of=(("occupation_isco", "occupation_rome"),),
    no_future=("month",),
    fields=(
        Field("month", "month", "Month of the stock (end of month).", aliases=("mois", "maand")),
        *_occupation_fields("Occupation sought"),
        Field(
            "commune_nis",
            "nis",
            "NIS code of the commune of residence.",
            reference="commune",
            aliases=("commune", "gemeente", "nis_code"),
        ),
        Field(
            "sex",
            "code",
            "F, M or X.",
            codes=SEXES,
            value_aliases=SEX_ALIASES,
            aliases=("sexe", "geslacht"),
        ),
        Field(
            "age_band",
            "code",
            "lt25, 25_49, ge50.",
            codes=AGE_BANDS,
            value_aliases=AGE_BAND_ALIASES,
            aliases=("age", "leeftijd", "classe_age"),
        ),
        Field(
            "duration_band",
            "code",
            "Unemployment duration: lt6m, 6_12m, 1_2y, ge2y.",
            codes=DURATION_BANDS,
            value_aliases=DURATION_BAND_ALIASES,
            aliases=("duree", "duur", "duration"),
        ),
        Field(
            "education_level",
            "code",
            "low, medium, high, other.",
            codes=EDUCATION_LEVELS,
            value_aliases=EDUCATION_ALIASES,
            aliases=("niveau_etudes", "studieniveau"),
        ),
        Field(
            "jobseeker_count",
            "int",
            "Number of job seekers in the cell.",
            min_value=0,
            aliases=("count", "nombre", "aantal", "dei"),
        ),
    ),
)

POOL_ACTIVITIES = Contract(
    source="pool_activities",
    grain="one activity record",
    description="Activity records of the pools' six functions: advanced equipment, equipment "
    "lending, competence validation, trade information, orientation trials, job matching.",
    publisher="pools",
    person_level=False,
    key=("activity_id",),
    no_future=("activity_date",),
    fields=(
        Field("activity_id", "text", "Identifier of the record.", aliases=("id",)),
        Field(
            "pool_id",
            "code",
            "Pool that ran the activity.",
            codes=POOL_IDS,
            reference="pool",
            aliases=("pool", "pole"),
        ),
        Field("activity_date", "date", "Day of the activity.", aliases=("date", "datum")),
        Field(
            "function",
            "code",
            "One of the six pool functions.",
            codes=POOL_FUNCTIONS,
            aliases=("fonction", "functie"),
        ),
        Field(
            "target_group",
            "code",
            "Target group reached.",
            codes=TARGET_GROUPS,
            aliases=("public", "doelgroep"),
        ),
        Field(
            "activity_count",
            "int",
            "Sessions, trials, validations, loans or referrals in the record.",
            min_value=0,
            aliases=("activities", "nombre", "aantal"),
        ),
        Field(
            "participant_count",
            "int",
            "People reached.",
            min_value=0,
            aliases=("participants", "deelnemers"),
        ),
        Field(
            "hours",
            "float",
            "Hours (equipment use, training time).",
            min_value=0,
            aliases=("heures", "uren"),
        ),
        Field(
            "hire_count",
            "int",
            "Hires that followed (job matching only).",
            required=False,
            nullable=True,
            min_value=0,
            aliases=("hires", "embauches", "aanwervingen"),
        ),
    ),
)

CONTRACTS: dict[str, Contract] = {
    c.source: c for c in (ENROLMENTS, PLACEMENTS, VACANCIES, JOBSEEKERS, POOL_ACTIVITIES)
}


def contract(source: str) -> Contract:
    try:
        return CONTRACTS[source]
    except KeyError:
        known = ", ".join(CONTRACTS)
        raise KeyError(f"unknown source {source!r}; known sources: {known}") from None
