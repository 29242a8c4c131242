-- MariaDB renames a column inside its checks, and drops a check that uses only the dropped column

CREATE TABLE `r` (
    `a` INTEGER,
    `b` INTEGER,
    CONSTRAINT `ck_r_a` CHECK (a > 0),
    CONSTRAINT `ck_r_b` CHECK (b < 10)
);

ALTER TABLE `r` RENAME COLUMN `a` TO `a2`;

ALTER TABLE `r` DROP COLUMN `b`;

