-- createTable: AUTO_INCREMENT primary key, NOT NULL, quoting of names and strings, comments, a nullable TIMESTAMP

CREATE TABLE `account` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(50) NOT NULL COMMENT 'the account''s name',
    `user` VARCHAR(200) DEFAULT 'O''Brien \\ C:\\dir',
    `odd``name` INTEGER DEFAULT -1,
    `seen_at` TIMESTAMP NULL,
    `active` BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (`id`)
) COMMENT 'Accounts; one per customer';

