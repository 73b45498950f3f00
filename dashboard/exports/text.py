"""Words the exports need beyond the dashboard's catalogues, in French, Dutch and English.

Why a table here and not in dashboard/i18n/*.json: those catalogues belong to the pages; these
words only exist in files (sheet names, column heads, the About sheet, the PDF brief). Words the
pages already have (flag legend, protection rule, month names…) are taken from there through
`t`, so a file and a page never say the same thing differently. `tests/dashboard/exports`
checks that every key exists in the three languages.
"""

from __future__ import annotations

from typing import Final

from dashboard.i18n import t

TEXT: Final[dict[str, dict[str, str]]] = {
    # groups = sheets
    "participation": {
        "fr": "Participation",
        "nl": "Deelname",
        "en": "Participation",
    },
    "placement": {"fr": "Insertion", "nl": "Uitstroom naar werk", "en": "Placement"},
    "placement_sector": {
        "fr": "Insertion par secteur",
        "nl": "Uitstroom per sector",
        "en": "Placement by sector",
    },
    "functions": {"fr": "Fonctions du pôle", "nl": "Functies van de pool", "en": "Pool functions"},
    "labour_market": {
        "fr": "Marché du travail",
        "nl": "Arbeidsmarkt",
        "en": "Labour market",
    },
    "occupations": {
        "fr": "Métiers par mois",
        "nl": "Beroepen per maand",
        "en": "Occupations by month",
    },
    "shortage": {"fr": "Métiers en pénurie", "nl": "Knelpuntberoepen", "en": "Shortage"},
    "supply_demand": {"fr": "Offre et demande", "nl": "Vraag en aanbod", "en": "Supply-demand"},
    "communes": {"fr": "Communes", "nl": "Gemeenten", "en": "Communes"},
    "about": {"fr": "À propos", "nl": "Over", "en": "About"},
    # key columns
    "col_pool_id": {"fr": "code pôle", "nl": "code pool", "en": "pool code"},
    "col_pool": {"fr": "Pôle", "nl": "Pool", "en": "Pool"},
    "col_period_type": {"fr": "Type de période", "nl": "Soort periode", "en": "Period type"},
    "col_period": {"fr": "Période", "nl": "Periode", "en": "Period"},
    "col_dimension": {"fr": "Ventilation", "nl": "Uitsplitsing", "en": "Breakdown"},
    "col_code": {"fr": "Code", "nl": "Code", "en": "Code"},
    "col_label": {"fr": "Libellé", "nl": "Omschrijving", "en": "Label"},
    "col_flag": {"fr": "signe", "nl": "teken", "en": "flag"},
    "col_table": {"fr": "table", "nl": "tabel", "en": "table"},
    "col_indicator_id": {"fr": "code indicateur", "nl": "code indicator", "en": "indicator code"},
    "col_indicator": {"fr": "Indicateur", "nl": "Indicator", "en": "Indicator"},
    "col_unit": {"fr": "Unité", "nl": "Eenheid", "en": "Unit"},
    "col_value": {"fr": "Valeur", "nl": "Waarde", "en": "Value"},
    "col_period_start": {"fr": "Début de période", "nl": "Begin periode", "en": "Period start"},
    "col_value_integer": {"fr": "Nombre", "nl": "Aantal", "en": "Count"},
    "col_value_number": {"fr": "Valeur", "nl": "Waarde", "en": "Value"},
    "col_value_boolean": {"fr": "Oui/non", "nl": "Ja/nee", "en": "Yes/no"},
    # period types
    "ptype_month": {"fr": "mois", "nl": "maand", "en": "month"},
    "ptype_quarter": {"fr": "trimestre", "nl": "kwartaal", "en": "quarter"},
    "ptype_year": {"fr": "année", "nl": "jaar", "en": "year"},
    # dimensions
    "dim_total": {"fr": "total", "nl": "totaal", "en": "total"},
    "dim_sex": {"fr": "sexe", "nl": "geslacht", "en": "sex"},
    "dim_target_group": {"fr": "public cible", "nl": "doelgroep", "en": "target group"},
    "dim_age_band": {"fr": "âge", "nl": "leeftijd", "en": "age"},
    "dim_education_level": {
        "fr": "niveau d'études",
        "nl": "opleidingsniveau",
        "en": "education level",
    },
    "dim_commune": {"fr": "commune", "nl": "gemeente", "en": "commune"},
    "dim_function": {"fr": "fonction", "nl": "functie", "en": "function"},
    "dim_occupation": {
        "fr": "métier (ISCO-08)",
        "nl": "beroep (ISCO-08)",
        "en": "occupation (ISCO-08)",
    },
    "dim_nace_section": {
        "fr": "section NACE",
        "nl": "NACE-sectie",
        "en": "NACE section",
    },
    # special codes
    "code_T": {"fr": "Total", "nl": "Totaal", "en": "Total"},
    "code_U": {"fr": "Inconnu", "nl": "Onbekend", "en": "Unknown"},
    "code_O": {"fr": "Hors Bruxelles", "nl": "Buiten Brussel", "en": "Outside Brussels"},
    "region": {
        "fr": "Région de Bruxelles-Capitale",
        "nl": "Brussels Hoofdstedelijk Gewest",
        "en": "Brussels-Capital Region",
    },
    "all_pools": {"fr": "Tous les pôles", "nl": "Alle polen", "en": "All pools"},
    # units
    "unit_count": {"fr": "nombre", "nl": "aantal", "en": "count"},
    "unit_persons": {"fr": "personnes", "nl": "personen", "en": "persons"},
    "unit_rate": {"fr": "taux (%)", "nl": "percentage (%)", "en": "rate (%)"},
    "unit_ratio": {"fr": "rapport", "nl": "verhouding", "en": "ratio"},
    "unit_days": {"fr": "jours", "nl": "dagen", "en": "days"},
    "unit_hours": {"fr": "heures", "nl": "uren", "en": "hours"},
    "unit_flag": {"fr": "oui/non", "nl": "ja/nee", "en": "yes/no"},
    # About sheet and brief
    "about_title": {"fr": "Titre", "nl": "Titel", "en": "Title"},
    "about_scope": {"fr": "Champ", "nl": "Afbakening", "en": "Scope"},
    "about_published": {
        "fr": "Données publiées le",
        "nl": "Gegevens gepubliceerd op",
        "en": "Data published on",
    },
    "about_exported": {"fr": "Exporté le", "nl": "Geëxporteerd op", "en": "Exported on"},
    "about_protection": {"fr": "Protection", "nl": "Bescherming", "en": "Protection"},
    "about_citation": {"fr": "Citation", "nl": "Bronvermelding", "en": "Citation"},
    "about_sources": {
        "fr": "Sources et fraîcheur",
        "nl": "Bronnen en actualiteit",
        "en": "Sources and freshness",
    },
    "about_definitions": {"fr": "Définitions", "nl": "Definities", "en": "Definitions"},
    "about_flags": {"fr": "Signes", "nl": "Tekens", "en": "Flags"},
    "about_periods": {
        "fr": (
            "Les lignes couvrent chaque mois, trimestre et année qui touche la période choisie."
        ),
        "nl": (
            "De rijen omvatten elke maand, elk kwartaal en elk jaar dat de gekozen periode raakt."
        ),
        "en": "Rows cover every month, quarter and year that touches the chosen period.",
    },
    "about_source_row": {
        "fr": "{source} : {start} – {end}, dernier chargement {load}",
        "nl": "{source}: {start} – {end}, laatst geladen {load}",
        "en": "{source}: {start} – {end}, last loaded {load}",
    },
    "citation": {
        "fr": (
            "{org}, « {title} », {period}. Données publiées le {published}, exportées le {today}."
        ),
        "nl": (
            "{org}, ‘{title}’, {period}. Gegevens gepubliceerd op {published},"
            " geëxporteerd op {today}."
        ),
        "en": "{org}, ‘{title}’, {period}. Data published on {published}, exported on {today}.",
    },
    "title_pool": {
        "fr": "{pool} — indicateurs",
        "nl": "{pool} — indicatoren",
        "en": "{pool} — indicators",
    },
    "title_region": {
        "fr": "Les pôles formation-emploi — indicateurs régionaux",
        "nl": "De opleidings- en tewerkstellingspolen — gewestelijke indicatoren",
        "en": "The training and employment pools — regional indicators",
    },
    "brief_key_figures": {"fr": "Chiffres clés", "nl": "Kerncijfers", "en": "Key figures"},
    "brief_charts": {"fr": "Graphiques", "nl": "Grafieken", "en": "Charts"},
    "brief_tables": {"fr": "Tableaux", "nl": "Tabellen", "en": "Tables"},
    "brief_at": {"fr": "au", "nl": "op", "en": "at"},
    "brief_intro": {
        "fr": (
            "Note de synthèse établie à partir des tableaux publiés (protégés) de l'observatoire."
        ),
        "nl": (
            "Samenvatting opgemaakt uit de gepubliceerde (beschermde) tabellen"
            " van het observatorium."
        ),
        "en": "Brief drawn from the observatory's published (protected) tables.",
    },
    "brief_trainees_by_pool": {
        "fr": "Stagiaires par pôle",
        "nl": "Cursisten per pool",
        "en": "Trainees by pool",
    },
    "png_note": {
        "fr": "Graphiques de la sélection",
        "nl": "Grafieken van de selectie",
        "en": "Charts of the selection",
    },
}


def x(key: str, lang: str, **values: object) -> str:
    """An export word in `lang` (unknown key → KeyError: a typo must fail a test)."""
    text = TEXT[key][lang if lang in ("fr", "nl", "en") else "fr"]
    return text.format(**values) if values else text


def flag_legend(lang: str) -> list[tuple[str, str]]:
    """(flag, meaning) pairs, the same words as the pages' legend."""
    return [
        ("c", t("flag_c", lang)),
        ("p", t("flag_p", lang)),
        ("b", t("flag_b", lang)),
        ("e", t("flag_e", lang)),
        (":", t("flag_na", lang)),
    ]
