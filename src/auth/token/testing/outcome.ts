/** Test-only: what a verification came to, as one comparable word. */
import { AuthError } from '../errors';

type ErrorClass = abstract new (...args: never[]) => AuthError;

/**
 * 'accepted', or the `reason` of the `AuthError` it was rejected with. Any
 * other rejection fails the test, as does an error of another class than
 * `expected` when one is given.
 */
export async function outcomeOf(promise: Promise<unknown>, expected?: ErrorClass): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (!(error instanceof AuthError)) throw error;
    const { name, reason } = error;
    if (expected && !(error instanceof expected)) throw new Error(`expected ${expected.name}, got ${name} (${reason})`);
    return reason;
  }
  return 'accepted';
}
