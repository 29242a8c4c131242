-- createSchema / dropSchema are CREATE SCHEMA / DROP SCHEMA (a database); schema qualifies a table with its database

CREATE SCHEMA IF NOT EXISTS `archive`;

CREATE TABLE `archive`.`log` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    PRIMARY KEY (`id`)
);

RENAME TABLE `archive`.`log` TO `archive`.`old_log`;

DROP TABLE `archive`.`old_log`;

DROP SCHEMA `archive`;

