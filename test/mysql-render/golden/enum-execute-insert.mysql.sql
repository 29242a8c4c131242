-- createEnum/dropEnum emit nothing (ENUM is inline); execute picks mysql:, else default:; bulkInsert escapes

CREATE TABLE `people` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `name` VARCHAR(100),
    `vip` BOOLEAN,
    `note` TEXT,
    PRIMARY KEY (`id`)
);

INSERT INTO `people` (`id`, `name`, `vip`, `note`) VALUES (1, 'Seán O''Brien', TRUE, 'C:\\temp\\new');

INSERT INTO `people` (`id`, `name`, `vip`, `note`) VALUES (2, '田中 "Zed"', FALSE, NULL);

UPDATE people SET vip = TRUE WHERE id = 2;

DELETE FROM people WHERE id = 1;

