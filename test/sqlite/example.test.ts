/**
 * The portable example history (test/fixtures/portable/example: every portable type, CURRENT_TIMESTAMP
 * defaults, a boolean default, an enum, a comment, later revisions that change a type and a default —
 * by the table rebuild —, rename a table and a column, drop a column and an index) compiled with
 * `--dialect sqlite` and applied with `sqlite3 -bail`: the intended schema, its constraints enforced,
 * downgrade to base, upgrade again.
 */
import assert from 'node:assert/strict';
import { sqliteTest } from '../support/sqlite.js';
import { apply, rejects, schemaOf, tableSql, type IntendedTable } from './history.js';

/** What the example history means at head, in pragma terms (types as README's SQLite section maps them). */
const INTENDED: Record<string, IntendedTable> = {
  alembic_version: {
    columns: { version_num: 'VARCHAR(32) NOT NULL PK 1' },
    indexes: { sqlite_autoindex_alembic_version_1: 'UNIQUE pk (version_num)' },
    foreignKeys: [],
  },
  writers: {
    columns: {
      id: 'INTEGER NOT NULL PK 1',
      name: 'VARCHAR(100) NOT NULL',
      email: 'VARCHAR(255)',
      is_active: 'BOOLEAN NOT NULL DEFAULT 1',
      created_at: 'DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP',
      country: "VARCHAR(2) NOT NULL DEFAULT 'NZ'",
    },
    indexes: { sqlite_autoindex_writers_1: 'UNIQUE u (email)' },
    foreignKeys: [],
  },
  books: {
    columns: {
      // bigInteger primary key: INTEGER, SQLite's rowid, so that it auto-increments.
      id: 'INTEGER NOT NULL PK 1',
      author_id: 'INTEGER NOT NULL',
      title: 'VARCHAR(200) NOT NULL',
      isbn: 'VARCHAR(17)',
      pages: 'SMALLINT',
      price: 'NUMERIC(10, 2) DEFAULT 0',
      rating: 'FLOAT DEFAULT 0',
      published_on: 'DATE',
      reading_time: 'TIME',
      updated_at: 'DATETIME DEFAULT CURRENT_TIMESTAMP',
      public_id: 'CHAR(32)',
      meta: 'JSON',
      extra: 'JSON',
      cover: 'BLOB',
      summary: 'TEXT',
      status: "VARCHAR(12) NOT NULL DEFAULT 'draft'",
      edition: 'INTEGER NOT NULL DEFAULT 1',
    },
    indexes: { ix_books_title_edition: 'UNIQUE c (title, edition)', sqlite_autoindex_books_1: 'UNIQUE u (author_id, title)' },
    // authors was renamed to writers: SQLite rewrote the reference.
    foreignKeys: ['author_id -> writers(id) ON DELETE CASCADE ON UPDATE NO ACTION'],
  },
  reviews: {
    columns: {
      id: 'INTEGER NOT NULL PK 1',
      book_id: 'BIGINT NOT NULL',
      stars: 'SMALLINT NOT NULL',
      body: 'TEXT',
      created_at: 'DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP',
    },
    indexes: { ix_reviews_book_stars: 'c (book_id, stars)' },
    foreignKeys: ['book_id -> books(id) ON DELETE CASCADE ON UPDATE NO ACTION'],
  },
};

sqliteTest('example: upgrade head reaches the intended schema', async (_t, db) => {
  await apply(db, 'example', 'upgrade', 'head');
  assert.deepEqual(await schemaOf(db), INTENDED);
  const books = await tableSql(db, 'books');
  assert.match(books, /summary TEXT \/\* Publisher's blurb \*\//, 'the column comment is kept, under the new column name');
  assert.match(books, /CHECK \(status IN \('draft', 'published', 'author''s cut'\)\)/);
  assert.match(books, /CONSTRAINT ck_books_pages CHECK \(pages > 0\)/);
  assert.match(await tableSql(db, 'reviews'), /CONSTRAINT ck_reviews_stars CHECK \(stars BETWEEN 1 AND 5\)/);
  assert.deepEqual(await db.query('SELECT version_num FROM alembic_version'), [['a1c0ffee0003']]);
});

sqliteTest('example: defaults fill in and the constraints are enforced', async (_t, db) => {
  await apply(db, 'example', 'upgrade', 'head');
  const ok = await db.applyScript(
    "INSERT INTO writers (name, email) VALUES ('Ngaio', 'ngaio@example.nz');\n" +
      "INSERT INTO books (author_id, title, pages) VALUES (1, 'Surfeit', 300);\n" +
      'INSERT INTO reviews (book_id, stars) VALUES (1, 5);\n',
  );
  assert.equal(ok.code, 0, ok.stderr);
  assert.deepEqual(await db.query("SELECT id, is_active, country, created_at IS NOT NULL FROM writers"), [['1', '1', "NZ", '1']]);
  assert.deepEqual(await db.query('SELECT id, status, edition, price, updated_at IS NOT NULL FROM books'), [['1', 'draft', '1', '0', '1']]);
  await rejects(db, "INSERT INTO books (author_id, title, status) VALUES (1, 'Other', 'bogus');", /CHECK constraint failed: status IN/);
  await rejects(db, "INSERT INTO books (author_id, title, pages) VALUES (1, 'Zero', 0);", /CHECK constraint failed: ck_books_pages/);
  await rejects(db, "INSERT INTO books (author_id, title, edition) VALUES (1, 'Surfeit', 2);", /UNIQUE constraint failed: books\.author_id, books\.title/);
  await rejects(db, 'INSERT INTO reviews (book_id, stars) VALUES (1, 6);', /CHECK constraint failed: ck_reviews_stars/);
  await rejects(db, "INSERT INTO writers (name, email) VALUES ('Copy', 'ngaio@example.nz');", /UNIQUE constraint failed: writers\.email/);
});

sqliteTest('example: downgrade head:base leaves only the empty version table; upgrade head again gives the same catalog', async (_t, db) => {
  await apply(db, 'example', 'upgrade', 'head');
  const first = await schemaOf(db);
  const down = await apply(db, 'example', 'downgrade', 'head:base');
  assert.match(down, /ALTER TABLE writers RENAME TO authors;/);
  assert.deepEqual(Object.keys(await schemaOf(db)), ['alembic_version']);
  assert.deepEqual(await db.query('SELECT count(*) FROM alembic_version'), [['0']]);
  await apply(db, 'example', 'upgrade', 'head');
  assert.deepEqual(await schemaOf(db), first);
});
