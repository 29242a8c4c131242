/**
 * Add email verification and OTP fields to users
 *
 * Revision ID: 7b4f50a1e0e0
 * Revises: 8f6e0f2be8d2
 *
 * One of the two branches off 8f6e0f2be8d2 (the other is 2a6d94c6cc2b); merged in 7c6ac304c575.
 */
import { migration, op, column, t, sql } from 'sqlscribe';

export default migration({
  revision: '7b4f50a1e0e0',
  down: '8f6e0f2be8d2',
  message: 'Add email verification and OTP fields to users',
  upgrade: [
    op.addColumn('users', column('email_verified', t.boolean(), { nullable: false, serverDefault: sql`false` })),
    op.addColumn('users', column('email_verification_token', t.string(255))),
    op.addColumn('users', column('email_verification_sent_at', t.dateTime({ timezone: true }))),
    op.addColumn('users', column('otp_enabled', t.boolean(), { nullable: false, serverDefault: false })),
    op.addColumn('users', column('otp_secret', t.string(64), { comment: 'Base32 TOTP secret; NULL until OTP is set up' })),
    op.createIndex('ix_users_email_verification_token', 'users', ['email_verification_token']),
  ],
});
