-- pgbench: the usual "row locks" design of an apply, for comparison: lock the customer's grants, draw from one,
-- append a ledger row, commit. Run with -D customers=N; one customer per apply, chosen at random.
\set customer random(1, :customers)
BEGIN;
SELECT grant_id, remaining FROM bench_grants WHERE customer_id = :customer ORDER BY expires_at FOR UPDATE;
UPDATE bench_grants SET remaining = remaining - 1 WHERE customer_id = :customer AND grant_id = 1;
INSERT INTO bench_ledger (customer_id, amount) VALUES (:customer, -1);
COMMIT;
