-- Official observations with one row per dataset, dimensions and period: when several files carry the same observation (a bulk TSV and a Data Explorer export of one dataset), the one with the latest publisher update, then the latest load, wins.
-- dataset: Publisher's dataset code, or ours for non-Eurostat files.
-- dimension_key: All dimensions except time and frequency as name=code, sorted, joined by ';'.
-- geo: Eurostat geo code or 5-digit NIS code of a Brussels commune.
-- sex: T total, M men, F women; NULL when the dataset has no sex dimension.
-- age: Eurostat age code; NULL when absent.
-- unit: Eurostat unit code (PC, PC_ACT, THS_PER; PER = persons).
-- nace: NACE Rev. 2 aggregate code; NULL when absent.
-- s_adj: Seasonal adjustment (NSA, SA, ...); NULL when absent.
-- education: Actiris study level (low, medium, high, other, total); NULL when absent.
-- period: Period as published: 2013, 2023-Q2, 2019-01.
-- period_start: First day of the period.
-- freq: A annual, Q quarter, M month.
-- value: Published value; NULL when not available.
-- flag: Publisher's flags, lower case (b break, u low reliability, p provisional, e estimated, c confidential); NULL when none.
-- source: Publisher, to show beside every figure.
-- last_update: Publisher's last update; NULL when not stated.
-- file_name: File the observation came from.
SELECT dataset, dimension_key, geo, sex, age, unit, nace, s_adj, education, period, period_start,
       freq, value, flag, source, last_update, file_name
FROM context.observation
QUALIFY row_number() OVER (
    PARTITION BY dataset, dimension_key, period
    ORDER BY last_update DESC NULLS LAST, load_id DESC
) = 1
