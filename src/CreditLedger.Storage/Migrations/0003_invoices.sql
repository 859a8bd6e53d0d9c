-- Invoices that credits were applied to. A row is inserted by the apply (its primary key makes an invoice id
-- applicable at most once per customer) and moves from pending to paid or voided in the same transaction as
-- the ledger entries that record it. Customer grains keep only pending invoices in memory; paid and voided
-- ones are read from here when asked for.
CREATE TABLE invoices (
    customer_id     text        NOT NULL,
    invoice_id      text        NOT NULL CHECK (invoice_id ~ '^[A-Za-z0-9._:-]{1,128}$'),
    status          text        NOT NULL CHECK (status IN ('pending', 'paid', 'voided')),
    lines           jsonb       NOT NULL,
    applications    jsonb       NOT NULL,
    applied_version bigint      NOT NULL,
    applied_at      timestamptz NOT NULL,
    updated_version bigint      NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (customer_id, invoice_id)
);

CREATE INDEX invoices_pending ON invoices (customer_id) WHERE status = 'pending';

-- Grant details that stay out of memory (the reason) are read from the grant's granted entry.
CREATE INDEX ledger_entries_granted ON ledger_entries (customer_id, grant_id) WHERE kind = 'granted';
