-- A NIK a resident typed that another profile already holds. It is kept apart, unseen by
-- the person typing (who is told nothing a stranger could use to learn who is registered),
-- until an operator compares it with the holder's KTP at the counter.
ALTER TABLE job_seekers ADD COLUMN nik_claim TEXT;
