import { hash, timingSafeEqual } from 'node:crypto';

/**
 * Compares two secrets in constant time. Hashing first makes the comparison
 * independent of where, and whether, their lengths differ.
 */
export function constantTimeEqual(actual: string, expected: string): boolean {
  return timingSafeEqual(hash('sha256', actual, 'buffer'), hash('sha256', expected, 'buffer'));
}
