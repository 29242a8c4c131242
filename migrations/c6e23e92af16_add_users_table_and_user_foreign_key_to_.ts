/**
 * Add users table and user foreign key to cases
 *
 * Revision ID: c6e23e92af16
 * Revises: <base>
 *
 * The base of the dataMortem/Requiem history. In the real project only `users` and `cases.owner_id`
 * came from this revision: the other tables predated Alembic, made by SQLAlchemy's `create_all()`,
 * and the revisions were written to be idempotent around them. An offline SQL script cannot ask the
 * database what already exists, so in this example the base revision creates every base table
 * itself, and `sqlscribe upgrade base:head` builds the whole schema from an empty database.
 * (A database that already has those tables is continued with `sqlscribe stamp c6e23e92af16`.)
 *
 * The ops come in three parts: the tables that predated Alembic and do not point at `users`; what the
 * real revision did (the `users` table, then `cases.owner_id` and its index); then the two
 * marketplace tables, which predated Alembic too but point at `users`, so they come after it.
 *
 * No `downgrade`: every op here has a derived inverse (dropped in reverse order, the enum type
 * `task_status` after the last table that uses it).
 */
import { migration, op, column, t, sql, primaryKey, foreignKey, check } from 'sqlscribe';

export default migration({
  revision: 'c6e23e92af16',
  down: null,
  message: 'Add users table and user foreign key to cases',
  upgrade: [
    // --- Tables that predated Alembic (create_all) ---
    op.createTable(
      'cases',
      [
        column('id', t.integer(), { primaryKey: true }),
        column('name', t.string(255), { nullable: false }),
        column('description', t.text()),
        column('created_at', t.dateTime({ timezone: true }), { nullable: false, serverDefault: sql`now()` }),
      ],
      { comment: 'Forensic investigations' },
    ),
    op.createTable(
      'evidence',
      [
        column('id', t.integer(), { primaryKey: true }),
        column('evidence_uid', t.uuid(), {
          nullable: false,
          unique: true,
          serverDefault: sql`gen_random_uuid()`,
          comment: 'Stable identifier, also used in OpenSearch documents',
        }),
        column('case_id', t.integer(), { nullable: false, references: { table: 'cases', column: 'id', onDelete: 'CASCADE' } }),
        column('local_path', t.text(), { nullable: false, comment: 'Path of the acquired artefact in the evidence store' }),
        column('added_at', t.dateTime({ timezone: true }), { nullable: false, serverDefault: sql`now()` }),
      ],
      { comment: 'Forensic artefacts (disk images, memory dumps, log bundles) attached to a case' },
    ),
    op.createIndex('ix_evidence_case_id', 'evidence', ['case_id']),
    op.createTable(
      'analysis_modules',
      [
        column('id', t.integer(), { primaryKey: true }),
        column('name', t.string(100), { nullable: false, unique: true }),
        column('description', t.text()),
        column('tool', t.string(100), { comment: 'Underlying parser, e.g. plaso, evtx_dump, regripper' }),
        column('enabled', t.boolean(), { nullable: false, serverDefault: true }),
      ],
      { comment: 'Registry of the available parsers' },
    ),
    op.createTable(
      'task_run',
      [
        column('id', t.integer(), { primaryKey: true }),
        column('task_name', t.string(255), { nullable: false }),
        column('evidence_id', t.integer(), { nullable: false, references: { table: 'evidence', column: 'id', onDelete: 'CASCADE' } }),
        column('module_id', t.integer(), { references: { table: 'analysis_modules', column: 'id', onDelete: 'SET NULL' } }),
        column('status', t.enum(['queued', 'running', 'success', 'error'], { name: 'task_status' }), {
          nullable: false,
          serverDefault: 'queued',
        }),
        column('progress_message', t.text()),
        column('output_path', t.text()),
        column('error_message', t.text()),
        column('result', t.jsonb(), { comment: 'Summary returned by the parser (counts, warnings)' }),
        column('started_at', t.dateTime({ timezone: true })),
        column('ended_at', t.dateTime({ timezone: true })),
        check(sql`ended_at IS NULL OR started_at IS NULL OR ended_at >= started_at`, { name: 'ck_task_run_time_order' }),
      ],
      { comment: 'History of parser runs on evidence' },
    ),
    op.createIndex('ix_task_run_evidence_id', 'task_run', ['evidence_id']),
    op.createIndex('ix_task_run_active', 'task_run', ['status'], { where: sql`status IN ('queued', 'running')` }),
    op.createTable(
      'events',
      [
        column('id', t.bigInteger(), { primaryKey: true }),
        column('case_id', t.integer(), { nullable: false, references: { table: 'cases', column: 'id', onDelete: 'CASCADE' } }),
        column('evidence_id', t.integer(), { references: { table: 'evidence', column: 'id', onDelete: 'SET NULL' } }),
        column('occurred_at', t.dateTime({ timezone: true }), { nullable: false }),
        column('source', t.string(100), { nullable: false, comment: 'Parser that produced the event' }),
        column('event_type', t.string(100), { nullable: false }),
        column('message', t.text()),
        column('hostname', t.string(255)),
        column('payload', t.jsonb(), { nullable: false, serverDefault: sql`'{}'::jsonb` }),
        column('indexed_at', t.dateTime({ timezone: true }), { comment: 'When the event reached OpenSearch; NULL until then' }),
        column('created_at', t.dateTime({ timezone: true }), { nullable: false, serverDefault: sql`now()` }),
      ],
      { comment: "Parsed events staged before they're indexed into OpenSearch" },
    ),
    op.createIndex('ix_events_case_id_occurred_at', 'events', ['case_id', 'occurred_at']),
    op.createIndex('ix_events_pending', 'events', ['case_id'], { where: sql`indexed_at IS NULL` }),

    // --- What the real revision did: the users table, and the user foreign key to cases ---
    op.createTable(
      'users',
      [
        column('id', t.integer(), { primaryKey: true }),
        column('username', t.string(100), { nullable: false, unique: true }),
        column('email', t.string(255), { nullable: false, unique: true }),
        column('hashed_password', t.string(255), { nullable: false }),
        column('full_name', t.string(255)),
        column('role', t.string(20), { nullable: false, serverDefault: 'analyst', comment: 'RBAC role: admin, analyst or viewer' }),
        column('is_active', t.boolean(), { nullable: false, serverDefault: true }),
        column('created_at', t.dateTime({ timezone: true }), { nullable: false, serverDefault: sql`now()` }),
        check(sql`role IN ('admin', 'analyst', 'viewer')`, { name: 'ck_users_role' }),
      ],
      { comment: 'Analysts and administrators (JWT auth, RBAC)' },
    ),
    op.addColumn(
      'cases',
      column('owner_id', t.integer(), {
        references: { table: 'users', column: 'id', name: 'fk_cases_owner_id_users', onDelete: 'SET NULL' },
      }),
    ),
    op.createIndex('ix_cases_owner_id', 'cases', ['owner_id']),

    // --- Marketplace tables (also from create_all), which point at users ---
    op.createTable(
      'custom_scripts',
      [
        column('id', t.integer(), { primaryKey: true }),
        column('name', t.string(255), { nullable: false }),
        column('description', t.text()),
        column('language', t.string(50), { nullable: false, serverDefault: 'python' }),
        column('source_code', t.text(), { nullable: false }),
        column('created_by_id', t.integer(), { references: { table: 'users', column: 'id', onDelete: 'SET NULL' } }),
        column('created_at', t.dateTime({ timezone: true }), { nullable: false, serverDefault: sql`now()` }),
      ],
      { comment: 'Python scripts of the marketplace' },
    ),
    op.createTable(
      'user_scripts',
      [
        column('user_id', t.integer(), { nullable: false }),
        column('script_id', t.integer(), { nullable: false }),
        column('installed_at', t.dateTime({ timezone: true }), { nullable: false, serverDefault: sql`now()` }),
        column('is_enabled', t.boolean(), { nullable: false, serverDefault: true }),
        primaryKey(['user_id', 'script_id']),
        foreignKey(['user_id'], 'users', ['id'], { onDelete: 'CASCADE' }),
        foreignKey(['script_id'], 'custom_scripts', ['id'], { onDelete: 'CASCADE' }),
      ],
      { comment: 'Scripts each user installed from the marketplace' },
    ),
  ],
});
