-- MariaDB only: IF NOT EXISTS / IF EXISTS on columns and indexes

CREATE TABLE `customers` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `email` VARCHAR(255) NOT NULL,
    PRIMARY KEY (`id`)
);

ALTER TABLE `customers` ADD COLUMN IF NOT EXISTS `name` VARCHAR(50);

CREATE INDEX IF NOT EXISTS `ix_customers_name` ON `customers` (`name`);

DROP INDEX IF EXISTS `ix_customers_name` ON `customers`;

ALTER TABLE `customers` DROP COLUMN IF EXISTS `name`;

