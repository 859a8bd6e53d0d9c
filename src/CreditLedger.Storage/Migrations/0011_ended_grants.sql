-- Grants that have ended (expired, or voided, with nothing pending) leave the customer grain's memory; reads of
-- one (GET, list, a void refused as not active) rebuild it from its entries. This index finds a grant's expired and
-- voided entries without scanning the customer's ledger. Applies and payments, the hot path, are not in it.
CREATE INDEX ledger_entries_ended ON ledger_entries (customer_id, grant_id) WHERE kind IN ('expired', 'voided');

-- Lists of grants page newest first through the granted entries alone (the grain lists those it holds from memory,
-- and ended ones from here).
CREATE INDEX ledger_entries_granted_seq ON ledger_entries (customer_id, seq) WHERE kind = 'granted';
