import { UserError } from '../../src/cli/errors.js';

/** Runs fn and returns the UserError it throws; fails the test if it throws nothing or another error. */
export function caught(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error('expected a UserError');
}
