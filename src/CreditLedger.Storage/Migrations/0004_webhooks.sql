-- Webhooks: endpoints, one delivery per (endpoint, event) with its attempts, and the low-balance thresholds
-- whose crossings are events. Outbox rows are fanned out into deliveries once (dispatched_at).

ALTER TABLE outbox ADD COLUMN dispatched_at timestamptz;

CREATE INDEX outbox_undispatched ON outbox (created_at) WHERE dispatched_at IS NULL;

CREATE TABLE webhook_endpoints (
    endpoint_id   text        PRIMARY KEY,
    url           text        NOT NULL,
    description   text        NOT NULL DEFAULT '',
    events        text[]      NOT NULL,
    secret        text        NOT NULL,
    status        text        NOT NULL CHECK (status IN ('enabled', 'disabled')),
    created_at    timestamptz NOT NULL,
    disabled_at   timestamptz,
    failing_since timestamptz
);

-- A delivery is leased (leased_until) while a dispatcher attempts it; a dispatcher that dies leaves the lease
-- to expire and another one retries, so every event is delivered at least once.
CREATE TABLE webhook_deliveries (
    delivery_id     bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    endpoint_id     text        NOT NULL REFERENCES webhook_endpoints ON DELETE CASCADE,
    event_id        text        NOT NULL REFERENCES outbox (event_id),
    status          text        NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
    attempts        integer     NOT NULL DEFAULT 0,
    next_attempt_at timestamptz,
    leased_until    timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    UNIQUE (endpoint_id, event_id)
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE status = 'pending';

CREATE TABLE webhook_attempts (
    delivery_id   bigint      NOT NULL REFERENCES webhook_deliveries ON DELETE CASCADE,
    attempt       integer     NOT NULL,
    attempted_at  timestamptz NOT NULL,
    status_code   integer,
    error         text,
    duration_ms   integer     NOT NULL,
    next_retry_at timestamptz,
    PRIMARY KEY (delivery_id, attempt)
);

CREATE TABLE credit_alerts (
    customer_id text        NOT NULL,
    credit_type text        NOT NULL,
    threshold   numeric     NOT NULL CHECK (threshold >= 0),
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (customer_id, credit_type)
);
