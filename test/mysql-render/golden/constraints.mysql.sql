-- create and drop every kind of constraint; dropConstraint takes the kind from the model when type is omitted

CREATE TABLE `customers` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `email` VARCHAR(255) NOT NULL,
    PRIMARY KEY (`id`)
);

CREATE TABLE `orders` (
    `id` INTEGER NOT NULL,
    `customer_id` INTEGER,
    `total` NUMERIC(10, 2)
);

ALTER TABLE `orders` ADD PRIMARY KEY (`id`);

ALTER TABLE `orders` ADD CONSTRAINT `uq_orders_customer_total` UNIQUE (`customer_id`, `total`);

ALTER TABLE `orders` ADD CONSTRAINT `ck_orders_total` CHECK (total >= 0);

ALTER TABLE `orders` ADD CONSTRAINT `fk_orders_customer` FOREIGN KEY(`customer_id`) REFERENCES `customers` (`id`) ON DELETE CASCADE;

ALTER TABLE `orders` DROP CHECK `ck_orders_total`;

ALTER TABLE `orders` DROP FOREIGN KEY `fk_orders_customer`;

ALTER TABLE `orders` DROP INDEX `uq_orders_customer_total`;

ALTER TABLE `orders` DROP PRIMARY KEY;

