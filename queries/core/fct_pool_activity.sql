-- One activity record of a pool's six functions.
-- activity_id: Identifier of the record.
-- pool_id: Pool that ran the activity.
-- activity_date: Day of the activity.
-- activity_month: Month of the activity (first day of the month).
-- function: One of the six pool functions (core.dim_pool_function).
-- target_group: Target group reached.
-- activity_count: Sessions, trials, validations, loans or referrals in the record.
-- participant_count: People reached.
-- hours: Hours (equipment use, training time).
-- hire_count: Hires that followed (job matching only).
SELECT activity_id, pool_id, activity_date,
       date_trunc('month', activity_date)::DATE AS activity_month,
       "function", target_group, activity_count, participant_count, hours, hire_count
FROM staging.stg_pool_activities
