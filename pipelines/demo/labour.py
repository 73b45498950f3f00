"""Demo labour market: the job-seeker stock (jobseekers) and the vacancies Actiris receives.

Both are drawn from one occupation model so that the ratios the observatory computes make sense:
each ISCO-08 unit group gets a share of vacancies and a target number of job seekers per vacancy
(tension: 1-5 for most pool occupations), and about a hundred occupations a year are given the
traits of a shortage occupation (view.brussels rule: at least 10 vacancies, fill rate below
average, time open above the median).

Magnitudes are calibrated on data/reference/stats/brussels_labour_market_key_figures.csv; the
rows used are quoted where the numbers appear.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from pipelines.demo.common import (
    abs_month,
    date_series,
    month_date,
    month_start_day,
    split_total,
    weighted_choice,
    working_day_in_month,
)
from pipelines.demo.reference import (
    JOBSEEKER_RATE,
    OPERATIONAL_POOLS,
    WORKPLACE_WEIGHT,
    DemoReference,
    isco_to_rome,
)

# DEI stock, deseasonalised trend (anchor month -> persons). From the key-figures file:
#   "dei_stock,BE10 (Actiris),2018-12,88317", "2019-09,89306", "2020-09,91885",
#   "dei_stock_avg,...,2020,88803", "2021-04,89319", "2023-01,87992", "2023-05,86112",
#   "2023-08,90222", "2023-12,92053", "2025-10,96161",
#   "2026-02,97859 ... 96,192 excluding newly counted 65-69 year olds" (we keep the series
#   without the 65-69 break). The September values carry the seasonal peak, hence a lower trend.
DEI_TREND: tuple[tuple[str, int], ...] = (
    ("2019-01", 88_500),
    ("2019-09", 87_000),
    ("2020-09", 89_500),
    ("2021-04", 90_000),
    ("2022-06", 87_000),
    ("2023-05", 87_200),
    ("2023-12", 91_500),
    ("2025-10", 94_700),
    ("2026-02", 95_800),
    ("2026-12", 95_500),
)
# Seasonal swing of the stock (% by calendar month): school leavers register in summer and
# September (2023-05 86,112 vs 2023-08 90,222 in the key figures).
DEI_SEASON = np.array([0.5, 0.0, -0.5, -1.0, -1.5, -1.0, 1.0, 2.0, 2.5, 1.5, 0.0, -0.5])
DEI_SEASON = 1 + (DEI_SEASON - DEI_SEASON.mean()) / 100

# Vacancies received per year (scale 1). "actiris_job_offers_received,BE10 (Actiris),2019,35063";
# 2021 ran at 4,000-5,000 a month ("2021-04,3997", "2021-07,4752", "2021-08,4986"); May 2023
# was 4,769 "-28.3% y/y", so 2022 was the peak; later years are an estimate. Capped at 50,000.
VACANCIES_PER_YEAR: dict[int, int] = {
    2019: 35_100,
    2020: 35_600,
    2021: 47_500,
    2022: 49_500,
    2023: 44_000,
    2024: 42_000,
    2025: 41_000,
    2026: 40_000,
}
VACANCY_SEASON = np.array([1.05, 1.0, 1.1, 1.0, 1.0, 1.05, 0.85, 0.85, 1.1, 1.1, 1.0, 0.8])
# First Covid-19 lockdown: March-May 2020 offers collapsed (made up later in the year).
COVID_DIP = {2020 * 12 + 2: 0.7, 2020 * 12 + 3: 0.45, 2020 * 12 + 4: 0.6}

# Jobseeker cells at scale 1: the stock is delivered aggregated, with zero cells omitted. A
# panel of ~3,800 cells keeps the files under ~400k rows over 2019-2026 while leaving many small
# cells for disclosure control.
JOBSEEKER_CELLS = 3_800
# Occupations given shortage traits each year; with the noise of small occupations about 100
# pass the view.brussels rule ("critical_functions_count,BE10 (view.brussels),2019 list,100").
SHORTAGE_SET = 92

AGE_BANDS = ("lt25", "25_49", "ge50")
# "2023-05,86112 ... youth DEI 8,651": about 10 % under 25; the over-50 share is ~27 %.
AGE_SHARE = (0.10, 0.63, 0.27)
DURATION_BANDS = ("lt6m", "6_12m", "1_2y", "ge2y")
DURATION_SHARE = (0.28, 0.16, 0.17, 0.39)
EDUCATION = ("low", "medium", "high", "other")
# Education by ISCO major group of the occupation sought. Overall "low" lands near 60 %, the
# usual Actiris figure (foreign diplomas without equivalence mostly counted as low; the rest
# is "other").
EDUCATION_BY_MAJOR: dict[str, tuple[float, float, float, float]] = {
    "1": (0.15, 0.25, 0.50, 0.10),
    "2": (0.08, 0.17, 0.65, 0.10),
    "3": (0.30, 0.35, 0.28, 0.07),
    "4": (0.54, 0.28, 0.12, 0.06),
    "5": (0.72, 0.17, 0.05, 0.06),
    "6": (0.78, 0.14, 0.02, 0.06),
    "7": (0.78, 0.15, 0.02, 0.05),
    "8": (0.79, 0.14, 0.02, 0.05),
    "9": (0.85, 0.08, 0.01, 0.06),
}
# Vacancy share by ISCO major group (Actiris offers: many clerical, service, professional jobs).
VACANCY_MAJOR_SHARE = {
    "1": 0.04,
    "2": 0.20,
    "3": 0.17,
    "4": 0.14,
    "5": 0.18,
    "6": 0.005,
    "7": 0.10,
    "8": 0.07,
    "9": 0.095,
}
# Job seekers per vacancy of the occupations outside the pools (median by major group).
TENSION_BY_MAJOR = {
    "1": 1.0,
    "2": 1.2,
    "3": 1.6,
    "4": 2.6,
    "5": 2.6,
    "6": 4.0,
    "7": 2.4,
    "8": 2.4,
    "9": 5.0,
}
FEMALE_BY_MAJOR = {
    "1": 0.35,
    "2": 0.50,
    "3": 0.40,
    "4": 0.62,
    "5": 0.60,
    "6": 0.20,
    "7": 0.06,
    "8": 0.08,
    "9": 0.45,
}
FEMALE_BY_SUBMAJOR = {
    "25": 0.20,
    "35": 0.20,
    "22": 0.75,
    "32": 0.75,
    "23": 0.70,
    "53": 0.85,
    "91": 0.70,
    "83": 0.05,
    "71": 0.04,
    "72": 0.04,
    "74": 0.04,
    "93": 0.15,
}
# Employers' sector (NACE division -> weight) for vacancies outside the pools' trades: temp
# agencies (78) and public administration weigh heavily in Brussels.
GENERAL_DIVISIONS: dict[str, float] = {
    "78": 12,
    "84": 9,
    "86": 5,
    "87": 2,
    "88": 4,
    "85": 6,
    "47": 5,
    "46": 4,
    "56": 4,
    "55": 1.5,
    "62": 3,
    "69": 3,
    "70": 3,
    "64": 3,
    "65": 1.5,
    "66": 1.5,
    "81": 5,
    "82": 2,
    "49": 2,
    "52": 1.5,
    "41": 1.5,
    "43": 2.5,
    "94": 3,
    "71": 1.5,
    "73": 1,
    "58": 1,
    "63": 0.5,
    "35": 0.5,
    "10": 1,
    "21": 0.5,
    "68": 1,
    "80": 1,
    "96": 1,
    "45": 1.5,
    "90": 0.7,
    "91": 0.3,
    "93": 0.5,
    "77": 0.5,
    "74": 0.5,
    "72": 0.5,
    "79": 0.5,
    "97": 0.5,
    "99": 1,
    "53": 0.5,
    "61": 0.5,
    "59": 0.5,
}
# Occupations whose employers cluster in a few divisions (ISCO sub-major -> divisions).
PREFERRED_DIVISIONS: dict[str, tuple[str, ...]] = {
    "22": ("86", "87"),
    "32": ("86", "87"),
    "53": ("87", "88"),
    "23": ("85",),
    "51": ("55", "56"),
    "52": ("47",),
    "91": ("81", "97"),
    "83": ("49", "53"),
    "54": ("80",),
    "26": ("69", "90"),
    "24": ("64", "70"),
    "33": ("64", "66", "70"),
    "41": ("82", "84"),
    "34": ("88", "90", "93"),
}


@dataclass(frozen=True)
class OccupationModel:
    isco: tuple[str, ...]
    rome: tuple[str | None, ...]  # ROME code for pool occupations
    pool: np.ndarray  # index of the occupation's first pool in ref.pools, -1 outside the pools
    vacancy_share: np.ndarray
    jobseeker_share: np.ndarray
    female_share: np.ndarray
    shortage: np.ndarray  # bool [year, occupation]
    years: tuple[int, ...]


def build_occupations(
    rng: np.random.Generator, ref: DemoReference, years: tuple[int, ...]
) -> OccupationModel:
    isco = ref.isco4
    n = len(isco)
    major = [c[0] for c in isco]
    pool_ids = [p.pool_id for p in ref.pools]
    first_pool: dict[str, int] = {}
    for p in pool_ids:
        for code in ref.pool_isco.get(p, ()):
            first_pool.setdefault(code, pool_ids.index(p))
    pool = np.array([first_pool.get(c, -1) for c in isco], dtype=np.int64)
    in_pool = pool >= 0
    operational = np.array(
        [pool[i] >= 0 and pool_ids[pool[i]] in OPERATIONAL_POOLS for i in range(n)]
    )

    per_major = {m: major.count(m) for m in set(major)}
    base = np.array([VACANCY_MAJOR_SHARE[m] / per_major[m] for m in major])
    vac = base * rng.lognormal(0.0, 1.0, n) * np.where(in_pool, 1.8, 1.0)
    vac /= vac.sum()

    # Shortage occupations: ~90 among the occupations with enough vacancies, the pools'
    # technical, ICT and construction trades more likely (they top the view.brussels lists).
    rank = np.argsort(-vac)
    eligible = np.zeros(n, dtype=bool)
    eligible[rank[:320]] = True
    weight = np.where(operational, 4.0, 1.0) * np.where(np.isin(major, ["2", "3", "7"]), 2.0, 1.0)
    weight = np.where(eligible, weight, 0.0)
    shortage = np.zeros((len(years), n), dtype=bool)
    current = rng.choice(n, size=SHORTAGE_SET, replace=False, p=weight / weight.sum())
    for y in range(len(years)):
        if y > 0:
            keep = current[rng.random(len(current)) < 0.92]
            free = weight.copy()
            free[keep] = 0.0
            new = rng.choice(n, size=SHORTAGE_SET - len(keep), replace=False, p=free / free.sum())
            current = np.concatenate([keep, new])
        shortage[y, current] = True
    ever_short = shortage.mean(axis=0) > 0.5

    # Job seekers per vacancy: pool occupations 1.3-4.3 (shortage ones 1.2-2.6); others by
    # major group with a wide spread. Stock 90,000 against ~42,000 vacancies a year.
    js_total, vac_total = 90_000.0, 42_000.0
    r_pool = np.where(ever_short, rng.uniform(1.2, 2.6, n), rng.uniform(1.3, 4.3, n))
    r_other = np.array([TENSION_BY_MAJOR[m] for m in major]) * rng.lognormal(0.0, 0.5, n)
    js = np.where(in_pool, vac * vac_total * r_pool, 0.0)
    rest = vac * r_other * ~in_pool
    js = js + rest / rest.sum() * max(js_total - js.sum(), 0.3 * js_total)
    js /= js.sum()

    female = np.array(
        [FEMALE_BY_SUBMAJOR.get(c[:2], FEMALE_BY_MAJOR[c[0]]) for c in isco], dtype=np.float64
    )
    to_rome = isco_to_rome(ref)
    return OccupationModel(
        isco=isco,
        rome=tuple(to_rome.get(c) for c in isco),
        pool=pool,
        vacancy_share=vac,
        jobseeker_share=js,
        female_share=female,
        shortage=shortage,
        years=years,
    )


def _trend_value(month: int) -> float:
    points = [(abs_month(month_date(int(m[:4]) * 12 + int(m[5:]) - 1)), v) for m, v in DEI_TREND]
    xs = np.array([p[0] for p in points], dtype=np.float64)
    ys = np.array([p[1] for p in points], dtype=np.float64)
    return float(np.interp(month, xs, ys))


def jobseeker_totals(months: np.ndarray) -> np.ndarray:
    """DEI stock per month at scale 1: trend times seasonal swing."""
    return np.array([_trend_value(int(m)) * DEI_SEASON[int(m) % 12] for m in months])


def commune_weights(ref: DemoReference) -> np.ndarray:
    """Where job seekers live: Actiris' published counts per commune when shipped (issue 8:
    the map has Brussels' real shape), else population times a typical job-seeker rate."""
    if ref.jobseeker_profile is not None:
        return np.array(ref.jobseeker_profile.weight, dtype=np.float64)
    return np.array(
        [
            pop * JOBSEEKER_RATE.get(nis, 0.07)
            for nis, pop in zip(ref.brussels_nis, ref.brussels_population, strict=True)
        ]
    )


def _female_probability(
    ref: DemoReference, occupation_share: np.ndarray, commune: np.ndarray
) -> np.ndarray:
    """Occupation's women's share shifted so that each commune's mean matches the women's share
    Actiris publishes for it: both the occupations' and the communes' sex mixes show."""
    profile = ref.jobseeker_profile
    if profile is None:
        return occupation_share
    target = np.array(profile.female_share).clip(0.05, 0.95)
    p = occupation_share.clip(0.01, 0.99)
    mean = float(p.mean())
    odds = (target / (1 - target)) / (mean / (1 - mean))
    shifted = p * odds[commune]
    return np.asarray(shifted / (shifted + (1 - p)))


def _calibrate_education(
    ref: DemoReference, by_occupation: np.ndarray, commune: np.ndarray
) -> np.ndarray:
    """Study-level probabilities per cell: the occupation's mix times the commune's published
    mix over the region's (one raking step), normalised."""
    profile = ref.jobseeker_profile
    if profile is None:
        return by_occupation
    mix = np.array(profile.education)
    weights = np.array(profile.weight)
    region = (mix * weights[:, None]).sum(axis=0) / weights.sum()
    p = by_occupation * (mix[commune] / region)
    return np.asarray(p / p.sum(axis=1, keepdims=True))


def generate_jobseekers(
    rng: np.random.Generator,
    ref: DemoReference,
    occ: OccupationModel,
    months: np.ndarray,
    scale: float,
) -> pl.DataFrame:
    """Monthly stock cells, typed: month (Date), codes, jobseeker_count (Int64); zero cells
    omitted."""
    n_occ = len(occ.isco)
    k = max(50, round(JOBSEEKER_CELLS * scale))
    raw = occ.jobseeker_share**0.7
    per_occ = np.maximum(1, np.round(raw / raw.sum() * k)).astype(np.int64)
    cell_occ = np.repeat(np.arange(n_occ), per_occ)
    n = len(cell_occ)
    commune = weighted_choice(rng, commune_weights(ref), n)
    female = rng.random(n) < _female_probability(ref, occ.female_share[cell_occ], commune)
    age = weighted_choice(rng, AGE_SHARE, n)
    duration = weighted_choice(rng, DURATION_SHARE, n)
    majors = np.array([c[0] for c in occ.isco])[cell_occ]
    edu_p = np.array([EDUCATION_BY_MAJOR.get(m, EDUCATION_BY_MAJOR["9"]) for m in majors])
    edu_p = _calibrate_education(ref, edu_p, commune)
    edu = (rng.random(n)[:, None] > np.cumsum(edu_p, axis=1)).sum(axis=1).clip(0, 3)
    w = rng.lognormal(0.0, 1.0, n)
    w = w / np.bincount(cell_occ, weights=w, minlength=n_occ)[cell_occ]
    w = w * occ.jobseeker_share[cell_occ]

    # Same combination drawn twice -> one cell (the key must stay unique).
    key = (((cell_occ * 2 + female) * 3 + age) * 4 + duration) * 4 + edu
    key = key * 19 + commune
    uniq, inverse = np.unique(key, return_inverse=True)
    first = np.zeros(len(uniq), dtype=np.int64)
    first[inverse[::-1]] = np.arange(n)[::-1]
    weight = np.bincount(inverse, weights=w)
    cell_occ, female, age = cell_occ[first], female[first], age[first]
    duration, edu, commune = duration[first], edu[first], commune[first]

    # Month-specific weights: young people register after school (July-October); each
    # occupation drifts a little from year to year.
    youth = np.array([0.95, 0.95, 0.95, 0.95, 0.95, 1.0, 1.12, 1.22, 1.25, 1.15, 1.05, 0.97])
    years = np.array(occ.years)
    drift = np.exp(rng.normal(0.0, 0.04, (len(years), n_occ)).cumsum(axis=0))
    year_idx = (months // 12) - years[0]
    p = weight[None, :] * drift[year_idx][:, cell_occ]
    p = p * np.where(age[None, :] == 0, youth[months % 12][:, None], 1.0)
    p /= p.sum(axis=1, keepdims=True)
    totals = np.round(jobseeker_totals(months) * scale).astype(np.int64)
    counts = rng.multinomial(totals, p)
    m_idx, c_idx = np.nonzero(counts)

    cells = pl.DataFrame(
        {
            "occupation_isco": pl.Series(occ.isco).gather(cell_occ),
            "occupation_rome": pl.Series(occ.rome, dtype=pl.String).gather(cell_occ),
            "commune_nis": pl.Series(ref.brussels_nis).gather(commune),
            "sex": pl.Series(np.where(female, "F", "M")),
            "age_band": pl.Series(AGE_BANDS).gather(age),
            "duration_band": pl.Series(DURATION_BANDS).gather(duration),
            "education_level": pl.Series(EDUCATION).gather(edu),
        }
    )
    frame = cells[c_idx].with_columns(
        date_series("month", month_start_day(months[m_idx])),
        pl.Series("jobseeker_count", counts[m_idx, c_idx], dtype=pl.Int64),
    )
    return frame.select(
        "month",
        "occupation_isco",
        "occupation_rome",
        "commune_nis",
        "sex",
        "age_band",
        "duration_band",
        "education_level",
        "jobseeker_count",
    )


def vacancy_month_counts(
    rng: np.random.Generator, months: np.ndarray, scale: float, total: int | None
) -> np.ndarray:
    """Vacancies received per month: the yearly volumes spread by season (exact totals)."""
    rate = np.array(
        [
            VACANCIES_PER_YEAR.get(int(m) // 12, 40_000)
            * VACANCY_SEASON[int(m) % 12]
            / VACANCY_SEASON.sum()
            * COVID_DIP.get(int(m), 1.0)
            for m in months
        ]
    )
    # The Covid dip is made up over the rest of 2020, keeping the year's total.
    for year in np.unique(months // 12):
        sel = months // 12 == year
        planned = sum(
            VACANCIES_PER_YEAR.get(int(year), 40_000)
            * VACANCY_SEASON[int(m) % 12]
            / VACANCY_SEASON.sum()
            for m in months[sel]
        )
        rate[sel] *= planned / rate[sel].sum()
    year_of = months // 12
    year_list = np.unique(year_of)
    year_rate = np.array([rate[year_of == y].sum() for y in year_list])
    if total is None:
        year_totals = np.round(year_rate * scale).astype(np.int64)
    else:
        year_totals = split_total(rng, total, year_rate)
    out = np.zeros(len(months), dtype=np.int64)
    for y, y_total in zip(year_list, year_totals, strict=True):
        sel = year_of == y
        out[sel] = split_total(rng, int(y_total), rate[sel])
    return out


def general_nace_sampler(ref: DemoReference) -> tuple[list[str], np.ndarray]:
    """NACE classes of employers outside the pools' sectors, weighted by division."""
    classes: list[str] = []
    weights: list[float] = []
    for division, w in GENERAL_DIVISIONS.items():
        under = ref.classes_under(division + ".")
        classes.extend(under)
        weights.extend([w / len(under)] * len(under))
    arr = np.array(weights)
    return classes, arr / arr.sum()


def _vacancy_outcomes(
    rng: np.random.Generator,
    occ: OccupationModel,
    year_idx: np.ndarray,
    occupation: np.ndarray,
    received: np.ndarray,
    end_day: int,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Closing day, still open, and outcome (0 open, 1 filled, 2 cancelled, 3 expired)."""
    n = len(received)
    # Outcome and days open, shortage occupations filled less and later.
    short = occ.shortage[year_idx, occupation]
    p_fill = np.where(occ.shortage, 0.50, 0.72) + rng.normal(0.0, 0.03, occ.shortage.shape)
    fill_days = np.where(occ.shortage, 85.0, 38.0) * rng.lognormal(0.0, 0.12, occ.shortage.shape)
    u = rng.random(n)
    pf = p_fill[year_idx, occupation]
    filled = u < pf
    cancelled = ~filled & (u < pf + 0.10)
    days_filled = fill_days[year_idx, occupation] * rng.lognormal(0.0, 0.55, n)
    days = np.where(
        filled,
        np.clip(days_filled, 3, 330),
        np.where(cancelled, 5 + 55 * rng.random(n), np.where(short, 120, 90) + 30 * rng.random(n)),
    ).astype(np.int64)
    closed = received + days
    is_open = (closed > end_day) | (rng.random(n) < 0.002)
    outcome = np.where(is_open, 0, np.where(filled, 1, np.where(cancelled, 2, 3)))
    return closed, is_open, outcome


def _vacancy_sectors(
    rng: np.random.Generator, ref: DemoReference, occ: OccupationModel, occupation: np.ndarray
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The NACE classes, each vacancy's class (an index into them) and whether it is missing."""
    n = len(occupation)
    # Employer sector: a pool trade's vacancy is mostly in the pool's sector. Codes are drawn
    # as indices into the NACE class list (strings are built once, by polars).
    classes_all = list(ref.nace_classes)
    position = {c: i for i, c in enumerate(classes_all)}
    general, general_p = general_nace_sampler(ref)
    general_idx = np.array([position[c] for c in general], dtype=np.int64)
    nace = general_idx[rng.choice(len(general), size=n, p=general_p)]
    occ_pool = occ.pool[occupation]
    for pool_index, pool in enumerate(ref.pools):
        pool_idx = np.array([position[c] for c in ref.pool_nace_classes(pool.pool_id)])
        idx = np.flatnonzero((occ_pool == pool_index) & (rng.random(n) < 0.7))
        if len(pool_idx) and len(idx):
            nace[idx] = pool_idx[rng.integers(0, len(pool_idx), len(idx))]
    submajor = np.array([int(c[:2]) for c in occ.isco])[occupation]
    for sub, divisions in PREFERRED_DIVISIONS.items():
        preferred = np.array(
            [position[c] for d in divisions for c in ref.classes_under(d + ".")], dtype=np.int64
        )
        idx = np.flatnonzero((submajor == int(sub)) & (occ_pool < 0) & (rng.random(n) < 0.6))
        if len(idx):
            nace[idx] = preferred[rng.integers(0, len(preferred), len(idx))]
    nace_missing = rng.random(n) < 0.03
    return classes_all, nace, nace_missing


def _workplaces(
    rng: np.random.Generator, ref: DemoReference, n: int
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The workplace communes, each vacancy's (an index into them) and whether it is missing."""
    # Workplace: Brussels by economic weight, some in the periphery, some unknown.
    place = rng.random(n)
    periphery = [c for c in ref.other_nis if c[:2] in ("23", "24")]
    places = list(ref.brussels_nis) + periphery
    workplace = weighted_choice(rng, [WORKPLACE_WEIGHT[c] for c in ref.brussels_nis], n)
    outside = place < 0.08
    workplace[outside] = len(ref.brussels_nis) + rng.integers(0, len(periphery), int(outside.sum()))
    workplace_missing = place > 0.96
    return places, workplace, workplace_missing


def generate_vacancies(
    rng: np.random.Generator,
    ref: DemoReference,
    occ: OccupationModel,
    months: np.ndarray,
    end_day: int,
    scale: float,
    total: int | None,
) -> pl.DataFrame:
    """One row per vacancy, typed (dates as Date, position_count Int64), sorted by id."""
    per_month = vacancy_month_counts(rng, months, scale, total)
    month = np.repeat(months, per_month)
    n = len(month)
    received = working_day_in_month(rng, month)
    order = np.argsort(received, kind="stable")
    month, received = month[order], received[order]
    years = np.array(occ.years)
    year_idx = month // 12 - years[0]
    n_occ = len(occ.isco)

    # Occupation: the year's shares with a little noise per year.
    occupation = np.zeros(n, dtype=np.int64)
    for y in range(len(years)):
        idx = np.flatnonzero(year_idx == y)
        share = occ.vacancy_share * rng.lognormal(0.0, 0.08, n_occ)
        occupation[idx] = rng.choice(n_occ, size=len(idx), p=share / share.sum())

    closed, is_open, outcome = _vacancy_outcomes(rng, occ, year_idx, occupation, received, end_day)
    classes_all, nace, nace_missing = _vacancy_sectors(rng, ref, occ, occupation)
    places, workplace, workplace_missing = _workplaces(rng, ref, n)

    positions = np.array([1, 2, 3, 4, 5, 8, 15])[
        weighted_choice(rng, [0.84, 0.07, 0.03, 0.02, 0.01, 0.02, 0.01], n)
    ]
    rome = pl.Series(occ.rome, dtype=pl.String).gather(occupation)
    rome = pl.select(pl.when(pl.Series(rng.random(n) < 0.8)).then(rome).otherwise(None)).to_series()

    year = month // 12
    seq = np.arange(n) - np.searchsorted(year, year)
    ids = pl.concat_str(
        pl.lit("ACT"),
        pl.lit(pl.Series(year).cast(pl.String)),
        pl.lit("-"),
        pl.lit(pl.Series(seq + 1).cast(pl.String).str.zfill(7)),
    )
    return pl.DataFrame(
        {
            "vacancy_id": pl.select(ids).to_series(),
            "received_date": date_series("received_date", received),
            "closed_date": date_series("closed_date", closed, ~is_open),
            "occupation_isco": pl.Series(occ.isco).gather(occupation),
            "occupation_rome": rome,
            "nace": pl.Series(classes_all).gather(nace),
            "commune_nis": pl.Series(places).gather(workplace),
            "position_count": pl.Series(positions, dtype=pl.Int64),
            "outcome": pl.Series(["open", "filled", "cancelled", "expired"]).gather(outcome),
        }
    ).with_columns(
        pl.when(pl.Series(nace_missing)).then(None).otherwise(pl.col("nace")).alias("nace"),
        pl.when(pl.Series(workplace_missing))
        .then(None)
        .otherwise(pl.col("commune_nis"))
        .alias("commune_nis"),
    )
