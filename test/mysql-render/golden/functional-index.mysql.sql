-- createIndex with an sql item: a MySQL 8.0.13 functional key part

CREATE TABLE `customers` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `email` VARCHAR(255) NOT NULL,
    PRIMARY KEY (`id`)
);

CREATE INDEX `ix_customers_lower_email` ON `customers` ((lower(email)));

