-- The ledger is the log. A command writes its ledger entries (and an apply its invoice record) and nothing else:
-- each entry carries the events it causes, webhook delivery follows the ledger from a checkpoint per endpoint,
-- and the credits report keeps one row per day, customer and credit type. The outbox is written no more.

-- Entries carry their events (bits: 1 the entry's own event, 2 balance_depleted, 4 balance_low; the crossed
-- threshold is in data->'threshold') and the pending balance their events report. Both are NULL on entries written
-- before this migration: their events are in the outbox.
ALTER TABLE ledger_entries ADD COLUMN events smallint;
ALTER TABLE ledger_entries ADD COLUMN pending_after numeric;

-- A replay from an instant finds where to start by the entries' recording time. A BRIN index costs almost nothing
-- on insert because entries are appended in recording order.
CREATE INDEX ledger_entries_recorded_at ON ledger_entries USING brin (recorded_at);

-- Every event with its stable id: the outbox's (entries written before this migration) and those the entries
-- carry. The id is the one webhooks deliver: evt_ + the first 16 bytes of SHA-256("customer\nversion\ntype").
CREATE VIEW credit_events AS
SELECT o.event_id, o.customer_id, o.version, o.event_type, o.occurred_at
FROM outbox o
UNION ALL
SELECT 'evt_' || left(encode(sha256(convert_to(e.customer_id || E'\n' || e.seq || E'\n' || t.event_type, 'UTF8')), 'hex'), 32),
       e.customer_id, e.seq, t.event_type, e.occurred_at
FROM ledger_entries e
CROSS JOIN LATERAL (VALUES
    (1, 'account.credits.' || e.kind),
    (2, 'account.credits.balance_depleted'),
    (4, 'account.credits.balance_low')) AS t(bit, event_type)
WHERE e.events & t.bit <> 0 AND NOT (t.bit = 1 AND e.kind = 'paid');

-- Webhook deliveries are now only the events that needed a retry. Outbox events not yet fanned out become
-- deliveries due at once, so nothing undelivered is lost; deliveries that succeeded at their first attempt are
-- counted in an endpoint's progress, not listed, and are dropped. Each delivery keeps its event's body.
INSERT INTO webhook_deliveries (endpoint_id, event_id, status, next_attempt_at)
SELECT e.endpoint_id, o.event_id, 'pending', now()
FROM outbox o
JOIN webhook_endpoints e ON e.status = 'enabled' AND (cardinality(e.events) = 0 OR o.event_type = ANY (e.events))
WHERE o.dispatched_at IS NULL
ON CONFLICT (endpoint_id, event_id) DO NOTHING;

UPDATE outbox SET dispatched_at = now() WHERE dispatched_at IS NULL;

DELETE FROM webhook_deliveries WHERE status = 'succeeded' AND attempts <= 1;

ALTER TABLE webhook_deliveries
    DROP CONSTRAINT webhook_deliveries_event_id_fkey,
    DROP COLUMN leased_until,
    ADD COLUMN event_type text,
    ADD COLUMN payload jsonb;

UPDATE webhook_deliveries d SET event_type = o.event_type, payload = o.payload FROM outbox o WHERE o.event_id = d.event_id;

ALTER TABLE webhook_deliveries ALTER COLUMN event_type SET NOT NULL, ALTER COLUMN payload SET NOT NULL;

DROP INDEX webhook_deliveries_due;
CREATE INDEX webhook_deliveries_retry ON webhook_deliveries (endpoint_id, next_attempt_at) WHERE status = 'pending';
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, delivery_id);

-- An endpoint is healthy, failing (no first attempts; its oldest undelivered event is probed on the retry
-- schedule) or disabled. Its progress through the ledger is a checkpoint in the report feed's order; it starts
-- here for the endpoints that exist now, since every earlier event is in the outbox and fanned out above.
ALTER TABLE webhook_endpoints DROP CONSTRAINT webhook_endpoints_status_check;
UPDATE webhook_endpoints SET status = 'healthy', failing_since = NULL WHERE status = 'enabled';
ALTER TABLE webhook_endpoints
    ADD CONSTRAINT webhook_endpoints_status_check CHECK (status IN ('healthy', 'failing', 'disabled')),
    ADD COLUMN previous_secret text,
    ADD COLUMN previous_secret_expires_at timestamptz,
    ADD COLUMN checkpoint_tx_id xid8 NOT NULL DEFAULT '0',
    ADD COLUMN checkpoint_customer_id text NOT NULL DEFAULT '',
    ADD COLUMN checkpoint_seq bigint NOT NULL DEFAULT 0,
    ADD COLUMN deliver_from timestamptz,
    ADD COLUMN consecutive_failures integer NOT NULL DEFAULT 0,
    ADD COLUMN events_delivered bigint NOT NULL DEFAULT 0,
    ADD COLUMN last_delivered_event_id text,
    ADD COLUMN last_delivered_at timestamptz;

UPDATE webhook_endpoints SET checkpoint_tx_id = pg_current_xact_id();

-- The report keeps one row per UTC day, customer and credit type, folded with one upsert per key and batch. The
-- row of a key's latest day also holds the available balance after the key's latest entry.
ALTER TABLE report_daily
    ADD COLUMN available numeric,
    ADD COLUMN version bigint,
    ADD COLUMN latest boolean NOT NULL DEFAULT false;

UPDATE report_daily r SET available = b.available, version = b.version, latest = true
FROM report_balances b
WHERE r.customer_id = b.customer_id AND r.credit_type = b.credit_type
  AND r.day = (SELECT max(d.day) FROM report_daily d WHERE d.customer_id = b.customer_id AND d.credit_type = b.credit_type);

DROP TABLE report_balances;

CREATE INDEX report_daily_latest ON report_daily (customer_id, credit_type) WHERE latest;
