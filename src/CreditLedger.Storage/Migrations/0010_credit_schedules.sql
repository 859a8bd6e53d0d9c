-- Credit schedules: recurring grants. A row is inserted by the command that creates the schedule, in the same
-- transaction as the grants of the periods that have started by then, and is changed only by a cancel. The periods
-- themselves are ordinary granted entries (their data names the schedule and period); the ledger, not this table,
-- says which periods have been granted. Customer grains load every schedule of the customer on activation.
CREATE TABLE credit_schedules (
    customer_id   text        NOT NULL,
    schedule_id   text        NOT NULL CHECK (schedule_id ~ '^[A-Za-z0-9._:-]{1,128}$'),
    credit_type   text        NOT NULL,
    amount        numeric     NOT NULL CHECK (amount > 0),
    reason        text        NOT NULL,
    priority      integer     NOT NULL CHECK (priority BETWEEN 0 AND 100),
    category      text        NOT NULL CHECK (category IN ('paid', 'promotional')),
    every         text        NOT NULL,
    starts_at     timestamptz NOT NULL,
    periods       integer     CHECK (periods > 0),
    rollover_max  numeric     CHECK (rollover_max > 0),
    created_at    timestamptz NOT NULL,
    cancelled_at  timestamptz,
    cancel_reason text,
    PRIMARY KEY (customer_id, schedule_id)
);
