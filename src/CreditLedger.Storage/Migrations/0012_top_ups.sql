-- Automatic top-up requests. A rule per customer and credit type is set and removed directly. A request is inserted
-- in the same transaction as the ledger entry that left available below the rule's threshold (the entry carries the
-- request in its data and the top_up_requested event in its events, bit 8), and is ended (fulfilled by a grant, or
-- failed) in the transaction of the command that ends it. At most one request per customer and credit type is
-- outstanding: the partial unique index refuses a second, whoever writes it.
CREATE TABLE credit_top_up_rules (
    customer_id    text        NOT NULL,
    credit_type    text        NOT NULL,
    threshold      numeric     NOT NULL CHECK (threshold >= 0),
    target_balance numeric     NOT NULL CHECK (target_balance > threshold),
    updated_at     timestamptz NOT NULL,
    PRIMARY KEY (customer_id, credit_type)
);

CREATE TABLE credit_top_up_requests (
    customer_id     text        NOT NULL,
    request_id      text        NOT NULL,
    credit_type     text        NOT NULL,
    amount          numeric     NOT NULL CHECK (amount > 0),
    available       numeric     NOT NULL,
    threshold       numeric     NOT NULL,
    status          text        NOT NULL CHECK (status IN ('outstanding', 'fulfilled', 'failed')),
    created_version bigint      NOT NULL,
    created_at      timestamptz NOT NULL,
    grant_id        text,
    fail_reason     text,
    ended_at        timestamptz,
    PRIMARY KEY (customer_id, request_id)
);

CREATE UNIQUE INDEX credit_top_up_requests_outstanding ON credit_top_up_requests (customer_id, credit_type) WHERE status = 'outstanding';

-- Every event, with its id: the top-up request an entry carries is one too.
CREATE OR REPLACE VIEW credit_events AS
SELECT o.event_id, o.customer_id, o.version, o.event_type, o.occurred_at
FROM outbox o
UNION ALL
SELECT 'evt_' || left(encode(sha256(convert_to(e.customer_id || E'\n' || e.seq || E'\n' || t.event_type, 'UTF8')), 'hex'), 32),
       e.customer_id, e.seq, t.event_type, e.occurred_at
FROM ledger_entries e
CROSS JOIN LATERAL (VALUES
    (1, 'account.credits.' || e.kind),
    (2, 'account.credits.balance_depleted'),
    (4, 'account.credits.balance_low'),
    (8, 'account.credits.top_up_requested')) AS t(bit, event_type)
WHERE e.events & t.bit <> 0 AND NOT (t.bit = 1 AND e.kind = 'paid');
