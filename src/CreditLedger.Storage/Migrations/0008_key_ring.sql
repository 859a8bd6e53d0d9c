-- The data protection key ring every process of a deployment shares: the keys that sign and encrypt the
-- Orleans-dashboard session cookie and webhook signing secrets at rest. Each key is an XML element encrypted with
-- the key-ring certificate, which is kept outside the database (a file or a setting): a dump alone decrypts nothing.
CREATE TABLE data_protection_keys (
    id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    friendly_name text,
    xml           text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now()
);
