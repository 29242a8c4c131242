/**
 * The portable histories (`test/fixtures/portable/`) compiled with `--dialect mysql` and `--dialect
 * mariadb` and applied by the `mariadb` client to a real MariaDB server: the upgrade reaches the intended
 * schema written here (columns, keys, indexes, foreign keys, checks) and rows; the unique and check
 * constraints the history adds are enforced; the downgrade to base leaves an empty version table only;
 * the upgrade applies again and reaches the same catalog. `mysql` output is applied with `DROP CHECK`
 * spelled `DROP CONSTRAINT` (see `support.ts`); it is not checked on MySQL 8 itself.
 */
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { mariadbCatalog, mariadbTest, type MariaDb } from '../support/mariadb.js';
import { FLAVOURS, compile, onMariadb, portable, shapeOf, type TableShape } from './support.js';

const VERSION_TABLE: TableShape = {
  columns: ['version_num varchar(32) NOT NULL'],
  indexes: ['PRIMARY UNIQUE (version_num)'],
  constraints: ['PRIMARY KEY PRIMARY (version_num)'],
};

/** What the ticket history means after `upgrade head` (issue 4, "Done when"). */
const TICKET: Record<string, TableShape> = {
  alembic_version: VERSION_TABLE,
  customers: {
    columns: [
      'id int(11) NOT NULL auto_increment',
      'email varchar(255) NOT NULL',
      'name varchar(100) NOT NULL',
      'created_at datetime NOT NULL DEFAULT current_timestamp()',
      'is_vip tinyint(1) NOT NULL DEFAULT 0',
    ],
    indexes: ['PRIMARY UNIQUE (id)', 'uq_customers_email UNIQUE (email)'],
    constraints: ['PRIMARY KEY PRIMARY (id)', 'UNIQUE uq_customers_email (email)'],
  },
  purchases: {
    columns: ['id int(11) NOT NULL auto_increment', 'customer_id int(11) NOT NULL', 'total decimal(10,2) NOT NULL', 'remark varchar(200)'],
    indexes: ['PRIMARY UNIQUE (id)', 'ix_orders_customer_id (customer_id)'],
    constraints: [
      'CHECK ck_orders_total_positive `total` >= 0',
      // MariaDB, like MySQL 8, renames <old>_ibfk_<n> with the table.
      'FOREIGN KEY purchases_ibfk_1 (customer_id) -> customers (id) ON DELETE CASCADE',
      'PRIMARY KEY PRIMARY (id)',
    ],
  },
};

/** What the example history means after `upgrade head`. */
const EXAMPLE: Record<string, TableShape> = {
  alembic_version: VERSION_TABLE,
  books: {
    columns: [
      'id bigint(20) NOT NULL auto_increment',
      'author_id int(11) NOT NULL',
      'title varchar(200) NOT NULL',
      'isbn varchar(17)',
      'pages smallint(6)',
      'price decimal(10,2) DEFAULT 0.00',
      'rating float DEFAULT 0',
      'published_on date',
      'reading_time time',
      'updated_at datetime DEFAULT current_timestamp()',
      'public_id char(36)',
      // MariaDB: JSON is LONGTEXT with a json_valid() check named after the column.
      'meta longtext',
      'extra longtext',
      'cover varbinary(16)',
      "summary text COMMENT Publisher's blurb",
      "status enum('draft','published','author''s cut') NOT NULL DEFAULT 'draft'",
      'edition int(11) NOT NULL DEFAULT 1',
    ],
    indexes: ['PRIMARY UNIQUE (id)', 'ix_books_title_edition UNIQUE (title, edition)', 'uq_books_author_title UNIQUE (author_id, title)'],
    constraints: [
      'CHECK ck_books_pages `pages` > 0',
      'CHECK extra json_valid(`extra`)',
      'CHECK meta json_valid(`meta`)',
      'FOREIGN KEY books_ibfk_1 (author_id) -> writers (id) ON DELETE CASCADE',
      'PRIMARY KEY PRIMARY (id)',
      'UNIQUE ix_books_title_edition (title, edition)',
      'UNIQUE uq_books_author_title (author_id, title)',
    ],
  },
  reviews: {
    columns: [
      'id int(11) NOT NULL auto_increment',
      'book_id bigint(20) NOT NULL',
      'stars smallint(6) NOT NULL',
      'body text',
      'created_at datetime NOT NULL DEFAULT current_timestamp()',
    ],
    // fk_reviews_book's own index was dropped by MySQL when ix_reviews_book_stars could serve it.
    indexes: ['PRIMARY UNIQUE (id)', 'ix_reviews_book_stars (book_id, stars)'],
    constraints: ['CHECK ck_reviews_stars `stars` between 1 and 5', 'FOREIGN KEY fk_reviews_book (book_id) -> books (id) ON DELETE CASCADE', 'PRIMARY KEY PRIMARY (id)'],
  },
  writers: {
    columns: [
      'id int(11) NOT NULL auto_increment',
      'name varchar(100) NOT NULL',
      'email varchar(255)',
      'is_active tinyint(1) NOT NULL DEFAULT 1',
      'created_at datetime NOT NULL DEFAULT current_timestamp()',
      "country varchar(2) NOT NULL DEFAULT 'NZ'",
    ],
    indexes: ['PRIMARY UNIQUE (id)', 'email UNIQUE (email)'],
    constraints: ['PRIMARY KEY PRIMARY (id)', 'UNIQUE email (email)'],
  },
};

async function apply(db: MariaDb, sql: string, what: string): Promise<void> {
  const r = await db.applyScript(sql);
  assert.equal(r.code, 0, `${what}: ${r.stderr}`);
}

/** Asserts that `sql` is rejected with a message matching `error`. */
async function rejected(db: MariaDb, sql: string, error: RegExp): Promise<void> {
  const r = await db.applyScript(sql);
  assert.notEqual(r.code, 0, `accepted: ${sql}`);
  assert.match(r.stderr, error);
}

async function versions(db: MariaDb): Promise<string[]> {
  return (await db.query('SELECT version_num FROM alembic_version')).map((r) => r[0] ?? '');
}

for (const flavour of FLAVOURS) {
  describe(`${flavour}: portable histories on MariaDB`, () => {
    mariadbTest('ticket: up, intended schema and rows, constraints enforced, down to base, up again', async (_t, db) => {
      const dir = portable('ticket');
      const up = onMariadb(await compile(flavour, dir, 'upgrade', 'head'), flavour);
      const down = onMariadb(await compile(flavour, dir, 'downgrade', 'head:base'), flavour);
      assert.doesNotMatch(up, /^BEGIN;/m, 'no transaction around DDL');
      assert.match(up, /^-- updated right after each migration\. If a statement fails, the database is at the last completed revision$/m);

      await apply(db, up, 'upgrade');
      const first = await mariadbCatalog(db);
      assert.deepEqual(shapeOf(first), TICKET);
      assert.deepEqual(await versions(db), ['5e1ec7ab0005']);
      assert.deepEqual(await db.query('SELECT id, email, name, is_vip FROM customers ORDER BY id'), [
        ['1', 'sean.obrien@example.com', "Seán O'Brien", '1'],
        ['2', 'zoe@example.com', 'Zoë "Zed" Ünal', '0'],
        ['3', 'tanaka@example.jp', '田中 太郎 \\ backslash', '0'],
      ]);
      assert.deepEqual(await db.query('SELECT id, customer_id, total, remark FROM purchases ORDER BY id'), [
        ['10', '1', '12.50', "Fish 'n' chips"],
        ['11', '2', '0.00', 'Crème brûlée — gratis'],
        ['12', '3', '99.99', null],
      ]);
      // The unique constraint and the check added to existing tables are enforced; so is the cascade.
      await rejected(db, "INSERT INTO customers (email, name) VALUES ('zoe@example.com', 'Other Zoë')", /Duplicate entry 'zoe@example.com' for key 'uq_customers_email'/);
      await rejected(db, 'INSERT INTO purchases (customer_id, total) VALUES (1, -0.01)', /CONSTRAINT `ck_orders_total_positive` failed/);
      await rejected(db, "INSERT INTO customers (email) VALUES ('noname@example.com')", /Field 'name' doesn't have a default value/);
      await apply(db, 'DELETE FROM customers WHERE id = 3', 'cascade');
      assert.deepEqual(await db.query('SELECT id FROM purchases ORDER BY id'), [['10'], ['11']]);

      await apply(db, down, 'downgrade to base');
      assert.deepEqual(shapeOf(await mariadbCatalog(db)), { alembic_version: VERSION_TABLE });
      assert.deepEqual(await versions(db), []);

      await apply(db, up, 'upgrade again');
      assert.deepEqual(await mariadbCatalog(db), first);
      assert.equal((await db.query('SELECT COUNT(*) FROM purchases'))[0]![0], '3');
    });

    mariadbTest('example: up, intended schema, constraints enforced, down to base, up again', async (_t, db) => {
      const dir = portable('example');
      const up = onMariadb(await compile(flavour, dir, 'upgrade', 'head'), flavour);
      const down = onMariadb(await compile(flavour, dir, 'downgrade', 'head:base'), flavour);

      await apply(db, up, 'upgrade');
      const first = await mariadbCatalog(db);
      assert.deepEqual(shapeOf(first), EXAMPLE);
      assert.deepEqual(await versions(db), ['a1c0ffee0003']);
      await apply(db, "INSERT INTO writers (name, email) VALUES ('Ann', 'ann@example.com')", 'a writer');
      await apply(db, "INSERT INTO books (author_id, title) VALUES (1, 'One')", 'a book');
      const [book] = await db.queryObjects('SELECT status, price, edition, updated_at IS NOT NULL AS stamped FROM books');
      assert.deepEqual(book, { status: 'draft', price: '0.00', edition: '1', stamped: '1' });
      await rejected(db, "INSERT INTO writers (name, email) VALUES ('Bob', 'ann@example.com')", /Duplicate entry 'ann@example.com' for key 'email'/);
      await rejected(db, "INSERT INTO books (author_id, title, pages) VALUES (1, 'Two', 0)", /CONSTRAINT `ck_books_pages` failed/);
      await rejected(db, "INSERT INTO books (author_id, title) VALUES (1, 'One')", /Duplicate entry/);
      await rejected(db, 'INSERT INTO reviews (book_id, stars) VALUES (1, 6)', /CONSTRAINT `ck_reviews_stars` failed/);
      await rejected(db, "INSERT INTO books (author_id, title, meta) VALUES (1, 'Three', 'not json')", /CONSTRAINT `books\.meta` failed/);

      await apply(db, down, 'downgrade to base');
      assert.deepEqual(shapeOf(await mariadbCatalog(db)), { alembic_version: VERSION_TABLE });
      assert.deepEqual(await versions(db), []);

      await apply(db, up, 'upgrade again');
      assert.deepEqual(await mariadbCatalog(db), first);
    });
  });
}
