-- Tables and stored queries for the Orleans ADO.NET providers: grain storage, reminders and
-- cluster membership. The providers read their SQL from orleansquery at start-up and run it with
-- named parameters; the result column names below are the ones the providers read.
--
-- Grain storage keys rows on the full key: service, state name (the provider passes the state name as
-- GrainTypeString), the two numeric key halves and the string key. The hash parameters the provider
-- also sends are not used. Grain keys that parse as hexadecimal integers reach the provider as numbers,
-- so the engine prefixes its string keys (see GrainKeys) to keep them strings.

CREATE TABLE orleansquery (
    querykey  varchar(64) PRIMARY KEY,
    querytext text        NOT NULL
);

CREATE TABLE orleans_storage (
    service_id  text        NOT NULL,
    state_name  text        NOT NULL,
    key_n0      bigint      NOT NULL,
    key_n1      bigint      NOT NULL,
    key_string  text        NOT NULL,
    payload     bytea,
    version     integer     NOT NULL,
    modified_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (service_id, state_name, key_n0, key_n1, key_string)
);

CREATE TABLE orleans_reminders (
    service_id    text        NOT NULL,
    grain_id      text        NOT NULL,
    reminder_name text        NOT NULL,
    start_time    timestamptz NOT NULL,
    period_ms     bigint      NOT NULL,
    grain_hash    integer     NOT NULL,
    version       integer     NOT NULL,
    PRIMARY KEY (service_id, grain_id, reminder_name)
);

CREATE INDEX orleans_reminders_hash ON orleans_reminders (service_id, grain_hash);

CREATE TABLE orleans_membership_version (
    deployment_id text        PRIMARY KEY,
    changed_at    timestamptz NOT NULL DEFAULT now(),
    version       integer     NOT NULL
);

CREATE TABLE orleans_membership (
    deployment_id   text        NOT NULL REFERENCES orleans_membership_version (deployment_id),
    address         text        NOT NULL,
    port            integer     NOT NULL,
    generation      integer     NOT NULL,
    silo_name       text        NOT NULL,
    host_name       text        NOT NULL,
    status          integer     NOT NULL,
    proxy_port      integer,
    suspect_times   text,
    start_time      timestamptz NOT NULL,
    i_am_alive_time timestamptz NOT NULL,
    PRIMARY KEY (deployment_id, address, port, generation)
);

-- Grain storage ---------------------------------------------------------------------------------

INSERT INTO orleansquery (querykey, querytext) VALUES
('ReadFromStorageKey', $q$
SELECT payload AS "PayloadBinary", version AS "Version"
FROM orleans_storage
WHERE service_id = @ServiceId
  AND state_name = @GrainTypeString
  AND key_n0 = @GrainIdN0
  AND key_n1 = @GrainIdN1
  AND key_string = coalesce(@GrainIdExtensionString::text, '')
$q$),

-- A null GrainStateVersion means the caller has never seen a row: insert version 1, or return
-- nothing when a row exists (a version conflict). Otherwise update only the version the caller read.
('WriteToStorageKey', $q$
WITH updated AS (
    UPDATE orleans_storage
    SET payload = @PayloadBinary, version = version + 1, modified_at = now()
    WHERE service_id = @ServiceId
      AND state_name = @GrainTypeString
      AND key_n0 = @GrainIdN0
      AND key_n1 = @GrainIdN1
      AND key_string = coalesce(@GrainIdExtensionString::text, '')
      AND version = @GrainStateVersion::integer
    RETURNING version
), inserted AS (
    INSERT INTO orleans_storage (service_id, state_name, key_n0, key_n1, key_string, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, coalesce(@GrainIdExtensionString::text, ''), @PayloadBinary, 1
    WHERE @GrainStateVersion::integer IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version
)
SELECT version AS "NewGrainStateVersion" FROM updated
UNION ALL
SELECT version FROM inserted
$q$),

-- Clearing keeps the row (and so the version sequence) with no payload.
('ClearStorageKey', $q$
WITH updated AS (
    UPDATE orleans_storage
    SET payload = NULL, version = version + 1, modified_at = now()
    WHERE service_id = @ServiceId
      AND state_name = @GrainTypeString
      AND key_n0 = @GrainIdN0
      AND key_n1 = @GrainIdN1
      AND key_string = coalesce(@GrainIdExtensionString::text, '')
      AND version = @GrainStateVersion::integer
    RETURNING version
), inserted AS (
    INSERT INTO orleans_storage (service_id, state_name, key_n0, key_n1, key_string, payload, version)
    SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, coalesce(@GrainIdExtensionString::text, ''), NULL, 1
    WHERE @GrainStateVersion::integer IS NULL
    ON CONFLICT DO NOTHING
    RETURNING version
)
SELECT version FROM updated
UNION ALL
SELECT version FROM inserted
$q$),

-- Deleting answers the deleted version + 1 (the provider compares it with the version it held), or 0
-- when the caller held no version and there was nothing to delete.
('DeleteStorageKey', $q$
WITH deleted AS (
    DELETE FROM orleans_storage
    WHERE service_id = @ServiceId
      AND state_name = @GrainTypeString
      AND key_n0 = @GrainIdN0
      AND key_n1 = @GrainIdN1
      AND key_string = coalesce(@GrainIdExtensionString::text, '')
      AND version = @GrainStateVersion::integer
    RETURNING version + 1 AS version
)
SELECT version FROM deleted
UNION ALL
SELECT 0 WHERE @GrainStateVersion::integer IS NULL
$q$);

-- Reminders -------------------------------------------------------------------------------------

INSERT INTO orleansquery (querykey, querytext) VALUES
('UpsertReminderRowKey', $q$
INSERT INTO orleans_reminders (service_id, grain_id, reminder_name, start_time, period_ms, grain_hash, version)
VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
ON CONFLICT (service_id, grain_id, reminder_name) DO UPDATE
SET start_time = excluded.start_time,
    period_ms = excluded.period_ms,
    grain_hash = excluded.grain_hash,
    version = orleans_reminders.version + 1
RETURNING version AS "Version"
$q$),

('ReadReminderRowsKey', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId
$q$),

('ReadReminderRowKey', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
$q$),

-- Ring ranges exclude their begin and include their end. Range 1 is an ordinary interval
-- (begin < end); range 2 wraps around the end of the ring.
('ReadRangeRows1Key', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId
  AND grain_hash > @BeginHash AND grain_hash <= @EndHash
$q$),

('ReadRangeRows2Key', $q$
SELECT grain_id AS "GrainId", reminder_name AS "ReminderName", start_time AS "StartTime",
       period_ms AS "Period", version AS "Version"
FROM orleans_reminders
WHERE service_id = @ServiceId
  AND (grain_hash > @BeginHash OR grain_hash <= @EndHash)
$q$),

('DeleteReminderRowKey', $q$
WITH deleted AS (
    DELETE FROM orleans_reminders
    WHERE service_id = @ServiceId AND grain_id = @GrainId AND reminder_name = @ReminderName
      AND version = @Version
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM deleted)
$q$),

('DeleteReminderRowsKey', $q$
DELETE FROM orleans_reminders WHERE service_id = @ServiceId
$q$);

-- Cluster membership ----------------------------------------------------------------------------
-- Every change to a membership row also advances the deployment's table version, conditional on the
-- version the silo read: the version row is locked and checked first, so of two concurrent writers
-- with the same version exactly one succeeds.

INSERT INTO orleansquery (querykey, querytext) VALUES
('InsertMembershipVersionKey', $q$
WITH inserted AS (
    INSERT INTO orleans_membership_version (deployment_id, version)
    VALUES (@DeploymentId, 0)
    ON CONFLICT DO NOTHING
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM inserted)
$q$),

('InsertMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans_membership_version
    SET version = version + 1, changed_at = now()
    WHERE deployment_id = @DeploymentId AND version = @Version
      AND NOT EXISTS (
          SELECT 1 FROM orleans_membership
          WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation)
    RETURNING 1
), inserted AS (
    INSERT INTO orleans_membership (deployment_id, address, port, generation, silo_name, host_name, status,
                                    proxy_port, start_time, i_am_alive_time)
    SELECT @DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status,
           @ProxyPort, @StartTime, @IAmAliveTime
    WHERE EXISTS (SELECT 1 FROM bumped)
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM inserted)
$q$),

('UpdateMembershipKey', $q$
WITH bumped AS (
    UPDATE orleans_membership_version
    SET version = version + 1, changed_at = now()
    WHERE deployment_id = @DeploymentId AND version = @Version
      AND EXISTS (
          SELECT 1 FROM orleans_membership
          WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation)
    RETURNING 1
), updated AS (
    UPDATE orleans_membership
    SET status = @Status, suspect_times = @SuspectTimes::text, i_am_alive_time = @IAmAliveTime
    WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
      AND EXISTS (SELECT 1 FROM bumped)
    RETURNING 1
)
SELECT EXISTS (SELECT 1 FROM updated)
$q$),

('UpdateIAmAlivetimeKey', $q$
UPDATE orleans_membership
SET i_am_alive_time = @IAmAliveTime
WHERE deployment_id = @DeploymentId AND address = @Address AND port = @Port AND generation = @Generation
$q$),

-- Both reads answer at least one row (the version row) so the provider always learns the table version.
('MembershipReadRowKey', $q$
SELECT v.version AS "Version", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status",
       m.proxy_port AS "ProxyPort", m.suspect_times AS "SuspectTimes", m.start_time AS "StartTime",
       m.i_am_alive_time AS "IAmAliveTime"
FROM orleans_membership_version v
LEFT JOIN orleans_membership m
       ON m.deployment_id = v.deployment_id
      AND m.address = @Address AND m.port = @Port AND m.generation = @Generation
WHERE v.deployment_id = @DeploymentId
$q$),

('MembershipReadAllKey', $q$
SELECT v.version AS "Version", m.address AS "Address", m.port AS "Port", m.generation AS "Generation",
       m.silo_name AS "SiloName", m.host_name AS "HostName", m.status AS "Status",
       m.proxy_port AS "ProxyPort", m.suspect_times AS "SuspectTimes", m.start_time AS "StartTime",
       m.i_am_alive_time AS "IAmAliveTime"
FROM orleans_membership_version v
LEFT JOIN orleans_membership m ON m.deployment_id = v.deployment_id
WHERE v.deployment_id = @DeploymentId
$q$),

('GatewaysQueryKey', $q$
SELECT address AS "Address", proxy_port AS "ProxyPort", generation AS "Generation"
FROM orleans_membership
WHERE deployment_id = @DeploymentId AND status = @Status AND proxy_port > 0
$q$),

('DeleteMembershipTableEntriesKey', $q$
DELETE FROM orleans_membership WHERE deployment_id = @DeploymentId;
DELETE FROM orleans_membership_version WHERE deployment_id = @DeploymentId
$q$),

-- Status 3 is Active: a live silo's row is never removed, however old its heartbeat.
('CleanupDefunctSiloEntriesKey', $q$
DELETE FROM orleans_membership
WHERE deployment_id = @DeploymentId AND i_am_alive_time < @IAmAliveTime AND status <> 3
$q$);
