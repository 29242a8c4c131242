/**
 * The errors of compiling and checking a history: {@link SiteError}s (file, revision, op position) that
 * also say what kind of problem they are, for `check --json`.
 */
import { SiteError, type ErrorSite } from '../errors.js';
import type { IssueKind } from '../state/validate.js';

/**
 * What kind of problem: a validation issue of the schema model (`./state/validate.ts`), an op without
 * inverse in a migration without `downgrade` (`irreversible`), an inverse that needs what the model does
 * not know (`underivable`), or something the dialect refuses (`dialect`).
 */
export type ProblemKind = IssueKind | 'irreversible' | 'underivable' | 'dialect';

/** A {@link SiteError} with its {@link ProblemKind}. Exits 1 like any user error. */
export class MigrationError extends SiteError {
  override readonly name: string = 'MigrationError';
  /**
   * @param position for an op of a migration's `assumes` list, which {@link ErrorSite} cannot name: the
   *   list and the op's 1-based position (the detail says them too).
   */
  constructor(
    site: ErrorSite,
    detail: string,
    readonly kind: ProblemKind,
    readonly position?: { readonly list: 'assumes'; readonly opIndex: number },
  ) {
    super(site, detail);
  }
}
