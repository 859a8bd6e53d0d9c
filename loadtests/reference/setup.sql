-- Tables for the reference runs of docs/benchmarks.md (in a scratch database, never the engine's).
DROP TABLE IF EXISTS bench_rows, bench_grants, bench_ledger;
CREATE TABLE bench_rows (id bigserial PRIMARY KEY, customer_id int NOT NULL, amount numeric NOT NULL);
CREATE TABLE bench_grants (customer_id int NOT NULL, grant_id int NOT NULL, remaining numeric NOT NULL, expires_at timestamptz NOT NULL, PRIMARY KEY (customer_id, grant_id));
CREATE TABLE bench_ledger (id bigserial PRIMARY KEY, customer_id int NOT NULL, amount numeric NOT NULL);
INSERT INTO bench_grants SELECT c, g, 1000000, now() + (g || ' days')::interval FROM generate_series(1, 10000) c, generate_series(1, 3) g;
