-- renameTable, table comments, dropTable

CREATE TABLE `customers` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `email` VARCHAR(255) NOT NULL,
    PRIMARY KEY (`id`)
);

RENAME TABLE `customers` TO `clients`;

ALTER TABLE `clients` COMMENT 'Our clients'' data';

ALTER TABLE `clients` COMMENT '';

DROP TABLE `clients`;

CREATE TABLE IF NOT EXISTS `tmp` (
    `id` INTEGER
);

DROP TABLE IF EXISTS `tmp`;

