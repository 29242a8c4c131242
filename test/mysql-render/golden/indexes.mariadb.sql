-- createIndex / dropIndex; an index a foreign key needs is replaced by the foreign key index when dropped

CREATE TABLE `customers` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `email` VARCHAR(255) NOT NULL,
    PRIMARY KEY (`id`)
);

CREATE TABLE `orders` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `customer_id` INTEGER NOT NULL,
    `placed` DATE,
    PRIMARY KEY (`id`),
    CONSTRAINT `fk_orders_customer` FOREIGN KEY(`customer_id`) REFERENCES `customers` (`id`)
);

CREATE INDEX `ix_orders_customer_placed` ON `orders` (`customer_id`, `placed`);

CREATE UNIQUE INDEX `ix_orders_placed` ON `orders` (`placed`) USING BTREE;

CREATE INDEX `ix_customers_email` ON `customers` (`email`) USING HASH;

DROP INDEX `ix_orders_placed` ON `orders`;

ALTER TABLE `orders` DROP INDEX `ix_orders_customer_placed`, ADD INDEX `fk_orders_customer` (`customer_id`);

DROP INDEX `ix_customers_email` ON `customers`;

