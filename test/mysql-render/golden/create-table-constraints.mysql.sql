-- createTable: composite primary key, named and unnamed unique, check and foreign keys, collation, generated columns

CREATE TABLE `customers` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `email` VARCHAR(255) NOT NULL,
    PRIMARY KEY (`id`)
);

CREATE TABLE `orders` (
    `customer_id` INTEGER NOT NULL,
    `number` INTEGER NOT NULL,
    `code` VARCHAR(20) COLLATE utf8mb4_bin,
    `total` NUMERIC(10, 2) NOT NULL,
    `total_cents` BIGINT GENERATED ALWAYS AS (total * 100) STORED,
    `half` NUMERIC(10, 2) GENERATED ALWAYS AS (total / 2) VIRTUAL,
    PRIMARY KEY (`customer_id`, `number`),
    CONSTRAINT `uq_orders_number_code` UNIQUE (`number`, `code`),
    CONSTRAINT `ck_orders_total` CHECK (total >= 0),
    CHECK (number > 0),
    CONSTRAINT `fk_orders_customer` FOREIGN KEY(`customer_id`) REFERENCES `customers` (`id`) ON DELETE NO ACTION ON UPDATE RESTRICT,
    FOREIGN KEY(`customer_id`) REFERENCES `customers` (`id`) ON DELETE CASCADE,
    UNIQUE (`code`)
);

