-- Indexes no query of the engine uses, dropped: every ledger entry and outbox row paid for them on insert.
-- Customers' entries are read by (customer_id, seq), the report feed by (tx_id, customer_id, seq), outbox rows
-- by event id and through the undispatched index.
DROP INDEX ledger_entries_occurred_at;
DROP INDEX outbox_customer_version;
