"""Demo data of the pools themselves: enrolments, the placements that follow them, and the
monthly activity records of the six pool functions.

Only the four operational pools (technicity, digitalcity, logisticity, construcity) have
trainees, each from its opening month; planned pools have none. Volumes, drop-out and placement
rates are calibrated on data/reference/stats/brussels_labour_market_key_figures.csv and the
key facts of data/reference/pools/brussels_training_employment_pools.csv (quoted below).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.demo.common import (
    date_series,
    insz_numbers,
    insz_text,
    month_start_day,
    split_total,
    unique_serials,
    weighted_choice,
    working_day_in_month,
)
from pipelines.demo.reference import OPERATIONAL_POOLS, DemoReference, isco_to_rome

Kind = str  # "long" (qualifying), "short" (up-skilling), "discovery" (pupils, students)


@dataclass(frozen=True)
class Programme:
    pool_id: str
    programme_id: str
    name: str
    kind: Kind
    days: int  # nominal calendar length
    isco: str  # occupation the programme trains for
    weight: float = 1.0


PROGRAMMES: tuple[Programme, ...] = (
    # Technicity: "lift technician, HVAC, electrician, electromechanic, welder, industrial
    # draughtsman" (pools file, key_facts).
    Programme("technicity", "TEC-ASC", "Technicien ascensoriste", "long", 240, "7412", 1.2),
    Programme("technicity", "TEC-EMC", "Électromécanicien", "long", 270, "7412", 1.5),
    Programme("technicity", "TEC-SOU", "Soudeur", "long", 180, "7212", 1.2),
    Programme("technicity", "TEC-HVAC", "Technicien HVAC et frigoriste", "long", 240, "7127"),
    Programme("technicity", "TEC-DES", "Dessinateur industriel", "long", 210, "3118", 0.6),
    Programme(
        "technicity", "TEC-CNC", "Opérateur sur machines-outils CNC", "long", 200, "7223", 0.7
    ),
    Programme("technicity", "TEC-TOL", "Tôlier-chaudronnier", "long", 200, "7213", 0.6),
    Programme("technicity", "TEC-BA4", "Habilitation électrique BA4-BA5", "short", 3, "7411", 1.5),
    Programme("technicity", "TEC-TIG", "Perfectionnement soudage TIG", "short", 10, "7212"),
    Programme("technicity", "TEC-API", "Automates programmables (API)", "short", 8, "3113"),
    Programme("technicity", "TEC-DEC", "Découverte des métiers techniques", "discovery", 2, "7412"),
    # Digitalcity: "analyst-programmer, helpdesk technician, IT consultant" (view.brussels 2020).
    Programme("digitalcity", "DIG-WEB", "Développeur web", "long", 240, "2513", 1.5),
    Programme("digitalcity", "DIG-HLP", "Technicien helpdesk", "long", 150, "3512", 1.3),
    Programme("digitalcity", "DIG-RES", "Administrateur systèmes et réseaux", "long", 240, "2522"),
    Programme("digitalcity", "DIG-JAV", "Développeur Java et .NET", "long", 270, "2512"),
    Programme("digitalcity", "DIG-TST", "Testeur logiciel", "long", 150, "2519", 0.6),
    Programme("digitalcity", "DIG-DAT", "Analyste de données", "long", 200, "2511", 0.8),
    Programme("digitalcity", "DIG-CYB", "Technicien en cybersécurité", "long", 210, "2529", 0.7),
    Programme("digitalcity", "DIG-UX", "Web design et UX", "long", 180, "2166", 0.6),
    Programme("digitalcity", "DIG-CCNA", "Certification Cisco CCNA", "short", 15, "3513"),
    Programme("digitalcity", "DIG-CLD", "Cloud Azure et AWS", "short", 10, "2523"),
    Programme(
        "digitalcity", "DIG-DEC", "Découverte du numérique et du code", "discovery", 3, "2512"
    ),
    # Logisticity.
    Programme("logisticity", "LOG-CAR", "Magasinier-cariste", "long", 90, "8344", 1.6),
    Programme("logisticity", "LOG-CE", "Chauffeur poids lourd C/CE", "long", 120, "8332", 1.4),
    Programme("logisticity", "LOG-PRE", "Préparateur de commandes", "long", 60, "4321"),
    Programme("logisticity", "LOG-LIV", "Chauffeur-livreur", "long", 60, "8322"),
    Programme("logisticity", "LOG-GES", "Gestionnaire de stock", "long", 150, "4321", 0.6),
    Programme("logisticity", "LOG-DIS", "Dispatcher transport", "long", 120, "4323", 0.5),
    Programme(
        "logisticity", "LOG-CAP", "Formation continue CAP chauffeur", "short", 5, "8332", 1.5
    ),
    Programme("logisticity", "LOG-REC", "Recyclage cariste", "short", 2, "8344"),
    Programme(
        "logisticity", "LOG-DEC", "Découverte des métiers de la logistique", "discovery", 2, "9333"
    ),
    # Construcity: 2022 trainees by family "techniques spéciales 323, parachèvement 227, gros
    # oeuvre 186, gestion de chantier 118" (pools file, key_facts).
    Programme("construcity", "CON-MAC", "Maçon", "long", 210, "7112", 1.2),
    Programme("construcity", "CON-ELR", "Électricien résidentiel", "long", 240, "7411", 1.4),
    Programme("construcity", "CON-CHS", "Chauffagiste-sanitariste", "long", 240, "7126", 1.2),
    Programme("construcity", "CON-PLA", "Plafonneur", "long", 150, "7123", 0.7),
    Programme("construcity", "CON-CAR", "Carreleur", "long", 150, "7122", 0.6),
    Programme("construcity", "CON-MEN", "Menuisier-poseur", "long", 180, "7115", 0.6),
    Programme("construcity", "CON-PEI", "Peintre en bâtiment", "long", 150, "7131", 0.6),
    Programme("construcity", "CON-COU", "Couvreur", "long", 180, "7121", 0.4),
    Programme("construcity", "CON-CHC", "Chef de chantier", "long", 180, "3123", 0.8),
    Programme("construcity", "CON-PV", "Installateur photovoltaïque", "short", 15, "7411", 1.2),
    Programme("construcity", "CON-VCA", "Sécurité de chantier VCA", "short", 2, "9313"),
    Programme(
        "construcity",
        "CON-DEC",
        "Découverte des métiers de la construction",
        "discovery",
        3,
        "7112",
    ),
)

# Enrolments started per year and pool at scale 1 (annual rate; a partial first or last year
# gets its months' share). Calibrated so that the persons in training during a year (started
# that year or still in a programme begun the year before) number 6,700 in 2021 and ~7,800 from
# 2022: "pfe_trainees,4 PFE,2021,6707" and "pfe_trainees,4 PFE,2022,7832"; construcity's
# 2022 share matches its "1,006 Bruxelles Formation trainees" plus the pool's own short courses.
ENROLMENTS_PER_YEAR: dict[str, dict[int, int]] = {
    "technicity": {
        2019: 1750,
        2020: 1400,
        2021: 1900,
        2022: 1950,
        2023: 1920,
        2024: 1920,
        2025: 1950,
        2026: 1920,
    },
    "digitalcity": {
        2020: 1650,
        2021: 1720,
        2022: 1780,
        2023: 1730,
        2024: 1730,
        2025: 1730,
        2026: 1730,
    },
    "logisticity": {2021: 1420, 2022: 1300, 2023: 1250, 2024: 1250, 2025: 1250, 2026: 1250},
    "construcity": {2021: 1220, 2022: 1100, 2023: 1070, 2024: 1100, 2025: 1100, 2026: 1100},
}
# Sessions start in January-February and September-October; few in July-August and December.
START_SEASON = np.array([1.2, 1.1, 1.0, 0.9, 0.9, 0.7, 0.4, 0.5, 1.5, 1.3, 1.0, 0.5])
COVID_START = {2020 * 12 + 2: 0.5, 2020 * 12 + 3: 0.2, 2020 * 12 + 4: 0.4}

# Drop-out of the qualifying programmes (until 2021, from 2022), from the pools file key_facts:
# technicity "26.1% (2021) -> 11.3% (2022)", digitalcity "17% -> 9.6%", logisticity
# "16.4% -> 5.4%", construcity "23.6% -> 19%". Technicity is held at 22 % before 2022.
DROPOUT: dict[str, tuple[float, float]] = {
    "technicity": (0.22, 0.113),
    "digitalcity": (0.17, 0.096),
    "logisticity": (0.164, 0.054),
    "construcity": (0.236, 0.19),
}
# Share of completing job seekers in work within 12 months: technicity 89.5 %, the four pools
# together 71 % ("pfe_placement_rate,Technicity,2021-2022,89.5,%,average for the 4 PFE: 71%").
PLACEMENT_RATE = {"technicity": 0.85, "digitalcity": 0.66, "logisticity": 0.68, "construcity": 0.60}
FEMALE_SHARE = {"technicity": 0.08, "digitalcity": 0.25, "logisticity": 0.12, "construcity": 0.06}

TARGET_GROUPS = (
    "job_seekers",
    "employees",
    "pupils",
    "students",
    "work_study_learners",
    "interns",
    "trainers_teachers",
)
# 4,048 of 6,707 trainees were job seekers in 2021, 4,646 of 7,832 in 2022: ~60 %.
TARGET_SHARE = (0.60, 0.17, 0.08, 0.05, 0.05, 0.03, 0.02)
TARGET_KIND = ("long", "short", "discovery", "discovery", "long", "long", "short")
# Age at start (min, mode, max) by target group.
TARGET_AGE = (
    (18, 28, 58),
    (21, 38, 62),
    (15, 16.5, 19),
    (18, 20, 26),
    (16, 18, 25),
    (18, 22, 30),
    (25, 42, 62),
)
EDUCATION = ("low", "medium", "high", "other")
EDUCATION_BY_POOL = {
    "technicity": (0.45, 0.38, 0.10, 0.07),
    "digitalcity": (0.22, 0.38, 0.33, 0.07),
    "logisticity": (0.58, 0.30, 0.05, 0.07),
    "construcity": (0.60, 0.28, 0.05, 0.07),
}
CONTRACT_TYPES = (
    "permanent",
    "fixed_term",
    "temporary_agency",
    "work_study",
    "self_employed",
    "other",
)
CONTRACT_SHARE = (0.38, 0.27, 0.25, 0.03, 0.03, 0.04)
POOL_PREFIX = {
    "technicity": "TEC",
    "digitalcity": "DIG",
    "logisticity": "LOG",
    "construcity": "CON",
}


def _pool_month_counts(
    rng: np.random.Generator,
    ref: DemoReference,
    months: np.ndarray,
    scale: float,
    total: int | None,
) -> list[tuple[str, np.ndarray]]:
    """Enrolments started per pool and month (exact totals per pool and year)."""
    rates: list[tuple[str, np.ndarray]] = []
    for pool_id in OPERATIONAL_POOLS:
        opening = ref.pool(pool_id).opening
        first = opening.year * 12 + opening.month - 1 if opening else None
        per_year = ENROLMENTS_PER_YEAR[pool_id]
        rate = np.array(
            [
                0.0
                if first is None or m < first
                else per_year.get(int(m) // 12, per_year[max(per_year)])
                * START_SEASON[int(m) % 12]
                / START_SEASON.sum()
                * COVID_START.get(int(m), 1.0)
                for m in months
            ]
        )
        rates.append((pool_id, rate))
    all_rates = np.concatenate([r for _, r in rates])
    keys = np.concatenate([np.full(len(months), i) * 10_000 + months // 12 for i in range(4)])
    groups = np.unique(keys)
    group_rate = np.array([all_rates[keys == g].sum() for g in groups])
    if total is None:
        group_total = np.round(group_rate * scale).astype(np.int64)
    else:
        group_total = split_total(rng, total, group_rate)
    counts = np.zeros(len(all_rates), dtype=np.int64)
    for g, g_total in zip(groups, group_total, strict=True):
        sel = keys == g
        counts[sel] = split_total(rng, int(g_total), all_rates[sel])
    return [
        (pool_id, counts[i * len(months) : (i + 1) * len(months)])
        for i, (pool_id, _) in enumerate(rates)
    ]


def _resolve_chains(parent: np.ndarray) -> np.ndarray:
    """Follow `parent` pointers (always to an earlier row) to the first enrolment of a person."""
    root = parent.copy()
    while True:
        nxt = root[root]
        if np.array_equal(nxt, root):
            return root
        root = nxt


def _enrolment_starts(
    rng: np.random.Generator,
    ref: DemoReference,
    months: np.ndarray,
    scale: float,
    total: int | None,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Month, pool and start day of every enrolment, in start order."""
    pool_list: list[str] = []
    month_list: list[np.ndarray] = []
    for pool_id, counts in _pool_month_counts(rng, ref, months, scale, total):
        month_list.append(np.repeat(months, counts))
        pool_list.extend([pool_id] * int(counts.sum()))
    month = np.concatenate(month_list)
    pool = np.array(pool_list, dtype=object)
    start = working_day_in_month(rng, month)
    order = np.lexsort((pool.astype(str), start))
    return month[order], pool[order], start[order]


def _programmes(
    rng: np.random.Generator, pool: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Target group, programme kind, programme and length in days of every enrolment."""
    n = len(pool)
    target = weighted_choice(rng, TARGET_SHARE, n)
    kind = np.array(TARGET_KIND, dtype=object)[target]
    prog = np.zeros(n, dtype=np.int64)
    for pool_id in OPERATIONAL_POOLS:
        for k in ("long", "short", "discovery"):
            idx = np.flatnonzero((pool == pool_id) & (kind == k))
            options = [i for i, p in enumerate(PROGRAMMES) if p.pool_id == pool_id and p.kind == k]
            if len(idx):
                weights = [PROGRAMMES[i].weight for i in options]
                prog[idx] = np.array(options)[weighted_choice(rng, weights, len(idx))]
    nominal = np.array([PROGRAMMES[i].days for i in prog], dtype=np.float64)
    length = np.maximum(1, np.round(nominal * rng.uniform(0.85, 1.15, n))).astype(np.int64)
    return target, kind, prog, length


def _outcomes(
    rng: np.random.Generator,
    pool: np.ndarray,
    kind: np.ndarray,
    year: np.ndarray,
    start: np.ndarray,
    length: np.ndarray,
    end_day: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """End day, still ongoing, status and certificate of every enrolment."""
    n = len(pool)
    p_drop = np.array(
        [DROPOUT[p][0] if y <= 2021 else DROPOUT[p][1] for p, y in zip(pool, year, strict=True)]
    )
    p_drop = np.where(kind == "long", p_drop, 0.02)
    dropped = rng.random(n) < p_drop
    end = np.where(
        dropped,
        start + np.maximum(1, length * rng.uniform(0.05, 0.7, n)).astype(np.int64),
        start + length - 1,
    )
    ongoing = end > end_day
    status = np.where(ongoing, "ongoing", np.where(dropped, "dropped_out", "completed"))
    certified = (
        (status == "completed")
        & (kind != "discovery")
        & (rng.random(n) < np.where(kind == "long", 0.87, 0.95))
    )
    return end, ongoing, status, certified


def _enrolled_persons(
    rng: np.random.Generator,
    ref: DemoReference,
    pool: np.ndarray,
    target: np.ndarray,
    start: np.ndarray,
    brussels_weight: np.ndarray,
) -> dict[str, np.ndarray]:
    """The person of every enrolment: sex, birth day, commune, education, INSZ; 8 % of
    enrolments are a person coming back for another programme (same INSZ as before)."""
    n = len(pool)
    female_p = np.array([FEMALE_SHARE[p] for p in pool])
    u = rng.random(n)
    sex = np.where(u < 0.002, "X", np.where(u < female_p, "F", "M"))
    lo, mode, hi = (np.array([a[i] for a in TARGET_AGE])[target] for i in range(3))
    age_years = rng.triangular(0, 1, 2, n)  # rescaled below to (lo, mode, hi)
    age_years = np.where(
        age_years < 1, lo + (mode - lo) * age_years, mode + (hi - mode) * (age_years - 1)
    )
    birth = start - np.round(age_years * 365.25).astype(np.int64)
    edu = np.zeros(n, dtype=np.int64)
    for pool_id, probs in EDUCATION_BY_POOL.items():
        idx = np.flatnonzero(pool == pool_id)
        edu[idx] = weighted_choice(rng, probs, len(idx))
    edu = np.where(target == 2, 0, np.where(target == 3, 1, edu))  # pupils low, students medium
    place = rng.random(n)
    commune = np.array(ref.brussels_nis, dtype=object)[weighted_choice(rng, brussels_weight, n)]
    outside = place < 0.10
    commune[outside] = np.array(ref.other_nis, dtype=object)[
        weighted_choice(rng, ref.other_weight, int(outside.sum()))
    ]
    commune_missing = place > 0.99

    parent = np.arange(n)
    again = (rng.random(n) < 0.08) & (parent > 0)
    parent[again] = np.floor(rng.random(int(again.sum())) * parent[again]).astype(np.int64)
    person = _resolve_chains(parent)
    sex, birth, commune = sex[person], birth[person], commune[person]
    edu, commune_missing = edu[person], commune_missing[person]
    roots = np.unique(person)
    serial = np.zeros(n, dtype=np.int64)
    serial[roots] = unique_serials(rng, birth[roots], sex[roots] != "F")
    insz = insz_numbers(birth, serial[person])
    return {
        "sex": sex,
        "birth": birth,
        "commune": commune,
        "edu": edu,
        "commune_missing": commune_missing,
        "insz": insz,
    }


def _enrolment_ids(pool: np.ndarray, year: np.ndarray) -> pl.Series:
    """``<pool prefix>-<year>-<serial>``, numbered per pool and year in start order."""
    seq = np.zeros(len(pool), dtype=np.int64)
    group = np.array([f"{POOL_PREFIX[p]}-{y}" for p, y in zip(pool, year, strict=True)])
    for g in np.unique(group):
        idx = np.flatnonzero(group == g)
        seq[idx] = np.arange(1, len(idx) + 1)
    return pl.Series(group) + "-" + pl.Series(seq).cast(pl.String).str.zfill(5)


def generate_enrolments(
    rng: np.random.Generator,
    ref: DemoReference,
    months: np.ndarray,
    end_day: int,
    scale: float,
    total: int | None,
    brussels_weight: np.ndarray,
) -> pl.DataFrame:
    """Enrolments, typed, plus helper columns `_isco` and `_kind` (dropped when written)."""
    month, pool, start = _enrolment_starts(rng, ref, months, scale, total)
    target, kind, prog, length = _programmes(rng, pool)
    year = month // 12
    end, ongoing, status, certified = _outcomes(rng, pool, kind, year, start, length, end_day)
    person = _enrolled_persons(rng, ref, pool, target, start, brussels_weight)
    return pl.DataFrame(
        {
            "enrolment_id": _enrolment_ids(pool, year),
            "insz": insz_text(person["insz"]),
            "pool_id": pl.Series(pool.astype(str)),
            "programme_id": pl.Series([PROGRAMMES[i].programme_id for i in prog]),
            "programme_name": pl.Series([PROGRAMMES[i].name for i in prog]),
            "target_group": pl.Series(TARGET_GROUPS).gather(target),
            "start_date": date_series("start_date", start),
            "end_date": date_series("end_date", end, ~ongoing),
            "status": pl.Series(status),
            "has_certificate": pl.Series(certified),
            "sex": pl.Series(person["sex"]),
            "birth_date": date_series("birth_date", person["birth"]),
            "commune_nis": pl.Series(person["commune"].astype(str)),
            "education_level": pl.Series(EDUCATION).gather(person["edu"]),
            "_isco": pl.Series([PROGRAMMES[i].isco for i in prog]),
            "_kind": pl.Series(kind.astype(str)),
        }
    ).with_columns(
        pl.when(pl.Series(person["commune_missing"]))
        .then(None)
        .otherwise(pl.col("commune_nis"))
        .alias("commune_nis")
    )


def _job_starts(
    rng: np.random.Generator, seekers: pl.DataFrame, pool: np.ndarray, end_day: int
) -> tuple[np.ndarray, np.ndarray]:
    """Which trainee (row of ``seekers``) starts a job and when, second jobs included."""
    n = seekers.height
    completed = seekers.get_column("status").to_numpy() == "completed"
    rate = np.array([PLACEMENT_RATE[p] for p in pool])
    placed = rng.random(n) < np.where(completed, rate, 0.30)
    delay = np.where(completed, rng.exponential(55.0, n), rng.exponential(20.0, n))
    delay = np.clip(delay, 0, 364).astype(np.int64)
    end_of_training = seekers.get_column("end_date").cast(pl.Int64).to_numpy(allow_copy=True)
    start = end_of_training + 1 + delay
    keep = placed & (start <= end_day)
    src = np.flatnonzero(keep)
    start = start[keep]

    # Some find a second job later (after a temporary contract, often).
    second = src[rng.random(len(src)) < 0.12]
    second_start = start[np.isin(src, second)] + rng.integers(60, 400, len(second))
    ok = second_start <= end_day
    return np.concatenate([src, second[ok]]), np.concatenate([start, second_start[ok]])


def _contracts(
    rng: np.random.Generator, start: np.ndarray, end_day: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Contract type, end day and whether the end is known, of every job."""
    m = len(start)
    contract = weighted_choice(rng, CONTRACT_SHARE, m)
    ctype = np.array(CONTRACT_TYPES)[contract]
    duration = np.select(
        [
            ctype == "permanent",
            ctype == "fixed_term",
            ctype == "temporary_agency",
            ctype == "work_study",
            ctype == "self_employed",
        ],
        [
            rng.lognormal(np.log(500), 0.6, m),
            rng.uniform(60, 365, m),
            rng.lognormal(np.log(45), 0.9, m),
            np.full(m, 365.0),
            rng.lognormal(np.log(900), 0.5, m),
        ],
        rng.uniform(30, 200, m),
    ).astype(np.int64)
    lasting = ((ctype == "permanent") & (rng.random(m) < 0.8)) | (
        (ctype == "self_employed") & (rng.random(m) < 0.9)
    )
    end = start + duration
    return ctype, end, ~lasting & (end <= end_day)


def _employers(
    rng: np.random.Generator,
    ref: DemoReference,
    s_pool: np.ndarray,
    ctype: np.ndarray,
    general_nace: tuple[list[str], np.ndarray],
) -> np.ndarray:
    """The employer's NACE class: mostly the pool's own sector, agencies for half the
    temporary contracts, the general economy otherwise."""
    m = len(s_pool)
    general, general_p = general_nace
    nace = np.array(general, dtype=object)[rng.choice(len(general), size=m, p=general_p)]
    agency = (ctype == "temporary_agency") & (rng.random(m) < 0.5)
    nace[agency] = "78.20"
    own = (rng.random(m) < 0.80) & ~agency
    for pool_id in OPERATIONAL_POOLS:
        classes = np.array(ref.pool_nace_classes(pool_id), dtype=object)
        idx = np.flatnonzero(own & (s_pool == pool_id))
        nace[idx] = classes[rng.integers(0, len(classes), len(idx))]
    return nace


def _occupations(
    rng: np.random.Generator, ref: DemoReference, prog_isco: np.ndarray, s_pool: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """ISCO and ROME occupation of every job (the programme's, the pool's, or any), and
    which jobs carry a ROME code, or only that."""
    m = len(s_pool)
    u = rng.random(m)
    isco = prog_isco.astype(object)
    for pool_id in OPERATIONAL_POOLS:
        codes = np.array(ref.pool_isco[pool_id], dtype=object)
        idx = np.flatnonzero((s_pool == pool_id) & (u >= 0.75) & (u < 0.90))
        isco[idx] = codes[rng.integers(0, len(codes), len(idx))]
    idx = np.flatnonzero(u >= 0.90)
    isco[idx] = np.array(ref.isco4, dtype=object)[rng.integers(0, len(ref.isco4), len(idx))]
    to_rome = isco_to_rome(ref)
    rome = np.array([to_rome.get(c) for c in isco], dtype=object)
    with_rome = np.array([r is not None for r in rome]) & (rng.random(m) < 0.5)
    rome_only = with_rome & (rng.random(m) < 0.06)
    return isco, rome, with_rome, rome_only


def generate_placements(
    rng: np.random.Generator,
    ref: DemoReference,
    enrolments: pl.DataFrame,
    end_day: int,
    general_nace: tuple[list[str], np.ndarray],
) -> pl.DataFrame:
    """Job starts of trainees who were looking for work: ~71 % of completers within 12 months
    (by pool, see PLACEMENT_RATE), ~30 % of drop-outs (often leaving for a job), a second job
    for some. Same INSZ as the enrolment."""
    seekers = enrolments.filter(
        pl.col("target_group").is_in(["job_seekers", "work_study_learners", "interns"])
        & pl.col("status").is_in(["completed", "dropped_out"])
    )
    pool = seekers.get_column("pool_id").to_numpy().astype(str)
    src, start = _job_starts(rng, seekers, pool, end_day)
    m = len(src)
    ctype, end, has_end = _contracts(rng, start, end_day)
    s_pool = pool[src]
    nace = _employers(rng, ref, s_pool, ctype, general_nace)
    prog_isco = seekers.get_column("_isco").to_numpy().astype(str)[src]
    isco, rome, with_rome, rome_only = _occupations(rng, ref, prog_isco, s_pool)

    order = np.argsort(start, kind="stable")
    src, start, end, has_end = src[order], start[order], end[order], has_end[order]
    nace, isco, rome, ctype = nace[order], isco[order], rome[order], ctype[order]
    with_rome, rome_only = with_rome[order], rome_only[order]
    year = start.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970
    seq = np.arange(m) - np.searchsorted(year, year) + 1
    ids = (
        "PL-" + pl.Series(year).cast(pl.String) + "-" + pl.Series(seq).cast(pl.String).str.zfill(6)
    )
    return pl.DataFrame(
        {
            "placement_id": ids,
            "insz": seekers.get_column("insz").gather(src),
            "start_date": date_series("start_date", start),
            "end_date": date_series("end_date", end, has_end),
            "employer_nace": pl.Series(nace.astype(str)),
            "occupation_isco": pl.Series(
                [None if r else c for c, r in zip(isco, rome_only, strict=True)], dtype=pl.String
            ),
            "occupation_rome": pl.Series(
                [r if w else None for r, w in zip(rome, with_rome, strict=True)], dtype=pl.String
            ),
            "contract_type": pl.Series(ctype),
        }
    )


# Monthly activity of each function at the scale of one pool (target groups reached, count
# per record, participants per activity, hours per activity).
FUNCTION_PLAN: tuple[tuple[str, tuple[str, ...], float, float, float], ...] = (
    ("advanced_equipment", ("job_seekers", "employees", "pupils"), 18.0, 9.0, 6.5),
    ("equipment_lending", ("pupils", "trainers_teachers"), 3.0, 14.0, 24.0),
    ("competence_validation", ("job_seekers", "employees"), 14.0, 1.0, 3.5),
    ("trade_information", ("pupils", "job_seekers", "students"), 4.0, 22.0, 2.0),
    ("orientation_trial", ("job_seekers", "pupils"), 10.0, 1.0, 7.0),
    ("job_matching", ("employers", "job_seekers"), 40.0, 1.0, 0.5),
)
POOL_SIZE = {"technicity": 1.2, "digitalcity": 1.0, "logisticity": 0.7, "construcity": 0.8}
SCHOOL_SEASON = np.array([1.0, 1.0, 1.0, 1.0, 1.0, 0.8, 0.3, 0.3, 1.1, 1.1, 1.0, 0.7])


def generate_pool_activities(
    rng: np.random.Generator, ref: DemoReference, months: np.ndarray
) -> pl.DataFrame:
    """One record per operational pool, month (from its opening), function and target group,
    dated the last working day of the month. Planned pools have none."""
    rows: dict[str, list[object]] = {
        k: [] for k in ("pool_id", "month", "function", "target_group")
    }
    plans: list[tuple[float, float, float]] = []
    for pool_id in OPERATIONAL_POOLS:
        opening = ref.pool(pool_id).opening
        if opening is None:
            continue
        first = opening.year * 12 + opening.month - 1
        for m in months[months >= first]:
            for function_id, groups, per_month, per_activity, hours_each in FUNCTION_PLAN:
                for group in groups:
                    rows["pool_id"].append(pool_id)
                    rows["month"].append(int(m))
                    rows["function"].append(function_id)
                    rows["target_group"].append(group)
                    plans.append(
                        (
                            per_month * POOL_SIZE[pool_id] * SCHOOL_SEASON[int(m) % 12],
                            per_activity,
                            hours_each,
                        )
                    )
    n = len(plans)
    plan = np.array(plans).reshape(n, 3)
    month = np.array(rows["month"], dtype=np.int64)
    count = rng.poisson(plan[:, 0])
    participants = np.maximum(
        count, np.round(count * plan[:, 1] * rng.uniform(0.7, 1.3, n))
    ).astype(np.int64)
    hours = np.round(count * plan[:, 2] * rng.uniform(0.8, 1.2, n) * 2) / 2
    function = np.array(rows["function"])
    matching = function == "job_matching"
    hires = rng.binomial(count, 0.3)
    last = month_start_day(month + 1) - 1
    wd = (last + 3) % 7
    last = last - np.where(wd == 5, 1, np.where(wd == 6, 2, 0))
    frame = pl.DataFrame(
        {
            "pool_id": pl.Series(rows["pool_id"], dtype=pl.String),
            "activity_date": date_series("activity_date", last),
            "function": pl.Series(function),
            "target_group": pl.Series(rows["target_group"], dtype=pl.String),
            "activity_count": pl.Series(count, dtype=pl.Int64),
            "participant_count": pl.Series(participants, dtype=pl.Int64),
            "hours": pl.Series(hours, dtype=pl.Float64),
            "hire_count": pl.Series(np.where(matching, hires, 0), dtype=pl.Int64),
        }
    )
    frame = frame.with_columns(
        pl.when(pl.Series(matching)).then(pl.col("hire_count")).otherwise(None)
    ).sort("activity_date", "pool_id", maintain_order=True)
    ids = "PA-" + pl.Series(np.arange(1, n + 1)).cast(pl.String).str.zfill(6)
    return frame.select(pl.lit(ids).alias("activity_id"), pl.all())
