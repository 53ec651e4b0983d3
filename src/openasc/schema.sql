-- Core warehouse tables. docs/warehouse.md describes each; later parts add their own.
CREATE TABLE IF NOT EXISTS runs (
    run_id VARCHAR PRIMARY KEY,
    command VARCHAR NOT NULL,
    started_at TIMESTAMP NOT NULL,
    finished_at TIMESTAMP,
    status VARCHAR NOT NULL,
    inputs JSON,
    spec_version VARCHAR,
    method_version VARCHAR,
    as_of DATE,
    user_name VARCHAR,
    detail JSON
);

CREATE TABLE IF NOT EXISTS quarantine (
    run_id VARCHAR NOT NULL,
    source VARCHAR NOT NULL,
    file_sha256 VARCHAR NOT NULL,
    source_name VARCHAR NOT NULL,
    row_number INTEGER,
    field VARCHAR,
    reason VARCHAR NOT NULL,
    person_pseudo VARCHAR
);

CREATE TABLE IF NOT EXISTS councils (
    ons_code VARCHAR NOT NULL,
    la_code VARCHAR,
    name VARCHAR NOT NULL,
    region VARCHAR,
    region_code VARCHAR,
    council_type VARCHAR,
    valid_from DATE,
    valid_to DATE,
    former_codes VARCHAR,
    dfe_la_code VARCHAR
);

CREATE TABLE IF NOT EXISTS population (
    la_code VARCHAR NOT NULL,
    year INTEGER NOT NULL,
    sex VARCHAR NOT NULL,
    age INTEGER NOT NULL,
    population BIGINT NOT NULL,
    PRIMARY KEY (la_code, year, sex, age)
);

CREATE TABLE IF NOT EXISTS metric_values (
    family VARCHAR NOT NULL,
    code VARCHAR NOT NULL,
    la_code VARCHAR NOT NULL,
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    breakdown VARCHAR NOT NULL DEFAULT '',
    numerator DOUBLE,
    denominator DOUBLE,
    value DOUBLE,
    unit VARCHAR NOT NULL,
    run_id VARCHAR,
    PRIMARY KEY (family, code, la_code, period_start, period_end, breakdown)
);

-- The fingerprint of the pseudonymisation key (an HMAC of a fixed text under the key, never
-- the key): a load with another key is refused. A row is added by `openasc key rekey`.
CREATE TABLE IF NOT EXISTS key_fingerprint (
    fingerprint VARCHAR NOT NULL,
    recorded_at TIMESTAMP NOT NULL,
    reason VARCHAR NOT NULL
);
