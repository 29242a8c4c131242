-- addColumn (with unique and a foreign key; an AUTO_INCREMENT primary key) and dropColumn

CREATE TABLE `customers` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `email` VARCHAR(255) NOT NULL,
    PRIMARY KEY (`id`)
);

CREATE TABLE `notes` (
    `body` TEXT
);

ALTER TABLE `notes` ADD COLUMN `id` INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY;

ALTER TABLE `notes` ADD COLUMN `code` VARCHAR(10) NOT NULL DEFAULT 'n/a' COMMENT 'short code';

ALTER TABLE `notes` ADD UNIQUE (`code`);

ALTER TABLE `notes` ADD COLUMN `customer_id` INTEGER;

ALTER TABLE `notes` ADD FOREIGN KEY(`customer_id`) REFERENCES `customers` (`id`) ON DELETE CASCADE;

ALTER TABLE `notes` DROP COLUMN `body`;

