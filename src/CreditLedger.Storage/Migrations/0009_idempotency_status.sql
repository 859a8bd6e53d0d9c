-- A remembered answer carries its status inside its response (the command status the engine answered with), and
-- the HTTP status is the gateway's business alone: new records leave status_code empty. Records written before
-- keep the HTTP status they were written with; nothing reads it. Additive: processes of the previous version,
-- still running during a rolling upgrade, go on filling it in.
ALTER TABLE idempotency_records ALTER COLUMN status_code DROP NOT NULL;
