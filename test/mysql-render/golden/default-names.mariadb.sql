-- the server's names for unnamed keys: first column (_2 on a clash), <table>_ibfk_<n> (ALTER: after the highest), checks; renamed with the table

CREATE TABLE `customers` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `email` VARCHAR(255) NOT NULL,
    PRIMARY KEY (`id`)
);

CREATE TABLE `o` (
    `id` INTEGER NOT NULL AUTO_INCREMENT,
    `a` INTEGER,
    `b` INTEGER,
    `c` INTEGER,
    PRIMARY KEY (`id`),
    UNIQUE (`a`, `b`),
    CHECK (c > 0),
    CONSTRAINT `ck_o_c` CHECK (c < 100),
    CHECK (c <> 50),
    UNIQUE (`a`),
    FOREIGN KEY(`a`) REFERENCES `customers` (`id`),
    CONSTRAINT `o_ibfk_7` FOREIGN KEY(`b`) REFERENCES `customers` (`id`)
);

ALTER TABLE `o` ADD COLUMN `d` INTEGER;

ALTER TABLE `o` ADD UNIQUE (`d`);

ALTER TABLE `o` ADD FOREIGN KEY(`d`) REFERENCES `customers` (`id`);

RENAME TABLE `o` TO `p`;

ALTER TABLE `p` ADD COLUMN `e` INTEGER;

ALTER TABLE `p` ADD FOREIGN KEY(`e`) REFERENCES `customers` (`id`);

ALTER TABLE `p` DROP FOREIGN KEY `p_ibfk_1`;

