-- createTable: every portable type, an inline ENUM, expression defaults for TEXT and JSON

CREATE TABLE `every_type` (
    `c_integer` INTEGER,
    `c_big_integer` BIGINT,
    `c_small_integer` SMALLINT,
    `c_string_50` VARCHAR(50),
    `c_text` TEXT DEFAULT ('none'),
    `c_boolean` BOOLEAN DEFAULT TRUE,
    `c_date_time` DATETIME DEFAULT CURRENT_TIMESTAMP,
    `c_timestamp` TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP,
    `c_date` DATE,
    `c_time` TIME,
    `c_numeric` NUMERIC,
    `c_numeric_10_2` NUMERIC(10, 2) DEFAULT 0,
    `c_float` FLOAT,
    `c_float_24` FLOAT(24),
    `c_double` DOUBLE,
    `c_uuid` CHAR(36),
    `c_json` JSON DEFAULT (JSON_ARRAY()),
    `c_jsonb` JSON,
    `c_binary` BLOB,
    `c_binary_16` VARBINARY(16),
    `c_enum` ENUM('draft', 'author''s cut') NOT NULL DEFAULT 'draft',
    `c_custom` MEDIUMTEXT
);

