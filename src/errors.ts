/**
 * Errors that reach the user.
 *
 * A {@link UserError} is bad input (a migration file, a target, a flag): the CLI prints its message on one
 * line of stderr and exits 1, with no stack trace. Anything else that escapes is a defect of sqlscribe
 * and exits 2 (spec: "Exit codes: 0 ok, 1 user error, 2 internal error"). Mirrors Alembic's
 * `util.CommandError`, the base of every user-facing error there.
 */
export class UserError extends Error {
  override readonly name: string = 'UserError';
  constructor(message: string) {
    super(message);
  }
}

/**
 * Where an error happened, to prefix its message: `migrations/x.ts (revision abc123, upgrade op 3 createIndex)`.
 * Every field is optional; the parts present are joined.
 */
export interface ErrorSite {
  /** The migration file, relative to the working directory where possible. */
  readonly file?: string;
  readonly revision?: string;
  /** `upgrade` or `downgrade`: which op list of the migration. */
  readonly list?: 'upgrade' | 'downgrade';
  /** 1-based position of the op in its list. */
  readonly opIndex?: number;
  readonly opKind?: string;
  /** The op belongs to a downgrade that sqlscribe derived from `upgrade`. */
  readonly derived?: boolean;
}

/** Formats an {@link ErrorSite} as `file (revision r, upgrade op 2 addColumn)`. */
export function formatSite(site: ErrorSite): string {
  const inner: string[] = [];
  if (site.revision !== undefined) inner.push(`revision ${site.revision}`);
  if (site.opIndex !== undefined) {
    inner.push(`${site.derived ? 'derived ' : ''}${site.list ?? 'upgrade'} op ${site.opIndex}${site.opKind ? ` ${site.opKind}` : ''}`);
  }
  const where = site.file ?? '';
  if (inner.length === 0) return where;
  return where ? `${where} (${inner.join(', ')})` : inner.join(', ');
}

/** A {@link UserError} that names the file, revision and op it concerns. */
export class SiteError extends UserError {
  override readonly name: string = 'SiteError';
  constructor(
    readonly site: ErrorSite,
    readonly detail: string,
  ) {
    const where = formatSite(site);
    super(where ? `${where}: ${detail}` : detail);
  }
}
