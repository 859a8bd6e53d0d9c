-- The credits report: aggregates of committed ledger entries by UTC day, customer and credit type, and each
-- customer's available balance as of its latest entry, with the checkpoint of the feed that fills them.
--
-- The feed reads entries in (tx_id, customer_id, seq) order, but only those whose transaction id is below the
-- oldest transaction still running (pg_snapshot_xmin): every such transaction has ended, so no entry can
-- later appear behind the checkpoint. A bigserial cursor would not do: ids commit out of order.

ALTER TABLE ledger_entries ADD COLUMN tx_id xid8 NOT NULL DEFAULT pg_current_xact_id();

CREATE INDEX ledger_entries_feed ON ledger_entries (tx_id, customer_id, seq);

CREATE TABLE report_checkpoint (
    name        text        PRIMARY KEY,
    tx_id       xid8        NOT NULL,
    customer_id text        NOT NULL,
    seq         bigint      NOT NULL,
    updated_at  timestamptz NOT NULL
);

INSERT INTO report_checkpoint (name, tx_id, customer_id, seq, updated_at) VALUES ('credits', '0', '', 0, now());

CREATE TABLE report_daily (
    day         date    NOT NULL,
    customer_id text    NOT NULL,
    credit_type text    NOT NULL,
    granted     numeric NOT NULL,
    applied     numeric NOT NULL,
    consumed    numeric NOT NULL,
    reinstated  numeric NOT NULL,
    expired     numeric NOT NULL,
    voided      numeric NOT NULL,
    PRIMARY KEY (day, customer_id, credit_type)
);

CREATE INDEX report_daily_customer ON report_daily (customer_id, day);

CREATE TABLE report_balances (
    customer_id text    NOT NULL,
    credit_type text    NOT NULL,
    available   numeric NOT NULL,
    version     bigint  NOT NULL,
    PRIMARY KEY (customer_id, credit_type)
);
