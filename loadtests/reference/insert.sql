-- pgbench: one-row INSERT per transaction (the database's commit rate with fsync on).
INSERT INTO bench_rows (customer_id, amount) VALUES (:client_id, 1);
