-- Survey-based (Labour Force Survey) unemployment rate of the Brussels-Capital Region (NUTS 2 BE10), population aged 15 and over, by sex and year, from Eurostat lfst_r_lfu3rt or tgs00010. It counts people without work who look for and are available for work, whether registered or not; Actiris' registered job seekers count registrations. The two differ by definition.
-- year: Reference year.
-- period_start: First day of the year.
-- sex: T total, M men, F women.
-- unemployment_rate: Unemployment rate in % of the labour force.
-- flag: Eurostat flag (b break in series, u low reliability, ...); NULL when none.
-- dataset: Eurostat dataset the value comes from.
-- source: Publisher.
-- last_update: Publisher's last update, where stated.
SELECT CAST(period AS INTEGER) AS year, period_start, sex, value AS unemployment_rate, flag,
       dataset, source, last_update
FROM context.official_series
WHERE geo = 'BE10' AND freq = 'A' AND age = 'Y_GE15' AND dataset IN ('lfst_r_lfu3rt', 'tgs00010')
QUALIFY row_number() OVER (
    PARTITION BY period, sex ORDER BY (dataset = 'lfst_r_lfu3rt') DESC, last_update DESC NULLS LAST
) = 1
