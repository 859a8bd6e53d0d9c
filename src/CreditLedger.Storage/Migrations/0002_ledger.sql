-- The engine's own tables. ledger_entries is the source of truth: append-only, numbered per customer
-- without gaps, never updated or deleted. Amounts are exact numerics, never floating point.

CREATE TABLE customers (
    customer_id text        PRIMARY KEY CHECK (customer_id ~ '^[A-Za-z0-9._:-]{1,128}$'),
    name        text,
    email       text,
    created_at  timestamptz NOT NULL,
    updated_at  timestamptz NOT NULL
);

-- One row per change. (customer_id, seq) is the customer's version sequence: the primary key makes
-- a second writer for the same customer fail instead of overwriting anything.
CREATE TABLE ledger_entries (
    customer_id     text        NOT NULL,
    seq             bigint      NOT NULL CHECK (seq > 0),
    kind            text        NOT NULL
                    CHECK (kind IN ('granted', 'applied', 'paid', 'reinstated', 'expired', 'voided')),
    grant_id        text,
    credit_type     text        NOT NULL,
    amount          numeric     NOT NULL,
    available_after numeric     NOT NULL,
    invoice_id      text,
    reason          text,
    actor           text        NOT NULL,
    source          text        NOT NULL,
    request_id      text,
    idempotency_key text,
    occurred_at     timestamptz NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    data            jsonb       NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (customer_id, seq)
);

CREATE INDEX ledger_entries_occurred_at ON ledger_entries (occurred_at);

CREATE FUNCTION ledger_entries_reject_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'ledger entries are immutable: % on ledger_entries is not allowed', TG_OP
        USING ERRCODE = 'integrity_constraint_violation',
              HINT = 'Correct a mistake with a new entry.';
END
$$;

CREATE TRIGGER ledger_entries_immutable_rows
    BEFORE UPDATE OR DELETE ON ledger_entries
    FOR EACH ROW EXECUTE FUNCTION ledger_entries_reject_change();

CREATE TRIGGER ledger_entries_immutable_table
    BEFORE TRUNCATE ON ledger_entries
    FOR EACH STATEMENT EXECUTE FUNCTION ledger_entries_reject_change();

-- The outcome of every idempotent command, kept as long as the entries it produced, so that a retry
-- with the same key gets the original answer. Scoped to the customer and the operation.
CREATE TABLE idempotency_records (
    customer_id     text        NOT NULL,
    operation       text        NOT NULL,
    idempotency_key text        NOT NULL CHECK (length(idempotency_key) BETWEEN 1 AND 255),
    request_hash    bytea       NOT NULL,
    status_code     integer     NOT NULL,
    response        jsonb       NOT NULL,
    version         bigint      NOT NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (customer_id, operation, idempotency_key)
);

-- Events written in the same transaction as the entries that cause them (the transactional outbox).
CREATE TABLE outbox (
    event_id    text        PRIMARY KEY,
    customer_id text        NOT NULL,
    version     bigint      NOT NULL,
    event_type  text        NOT NULL,
    payload     jsonb       NOT NULL,
    occurred_at timestamptz NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX outbox_customer_version ON outbox (customer_id, version);

-- API keys are stored only as hashes of the secret; the secret is shown once, at creation.
CREATE TABLE api_keys (
    key_id       text        PRIMARY KEY,
    name         text        NOT NULL,
    scopes       text[]      NOT NULL,
    secret_hash  bytea       NOT NULL UNIQUE,
    created_at   timestamptz NOT NULL,
    revoked_at   timestamptz,
    last_used_at timestamptz
);
