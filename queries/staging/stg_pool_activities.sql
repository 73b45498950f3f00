-- Pool activity records, one row per activity id: when several files carry the same id, the row of the latest load wins.
-- activity_id: Identifier of the record.
-- pool_id: Pool that ran the activity.
-- activity_date: Day of the activity.
-- function: One of the six pool functions.
-- target_group: Target group reached.
-- activity_count: Sessions, trials, validations, loans or referrals in the record.
-- participant_count: People reached.
-- hours: Hours (equipment use, training time).
-- hire_count: Hires that followed (job matching only).
-- load_id: Load that brought the row (meta.load_manifest).
-- source_file: File the row came from.
SELECT activity_id, pool_id, activity_date, "function", target_group, activity_count,
       participant_count, hours, hire_count, load_id, source_file
FROM raw.pool_activities
QUALIFY row_number() OVER (PARTITION BY activity_id ORDER BY load_id DESC, row_number DESC) = 1
