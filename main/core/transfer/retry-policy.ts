// When a transfer whose connection failed is tried again, and how soon. One policy for every
// host; which failures are worth a new connection is a column of the error-code table.

import { isRetryable, type ErrorCode } from '../errors.js';

/**
 * Reconnects after consecutive attempts that made no progress. With the default delays
 * (1 s doubling to at most 10 s, each ±25 %) seven of them span 34–56 s: longer than a busy
 * receiver's 10 s handshake timeout and 30 s idle timeout, after which its connection slots
 * are free again, so a flood of idle connections does not make a real sender give up.
 */
export const DEFAULT_RETRIES = 7;
export const DEFAULT_RETRY_DELAY_MS = 1000;
export const MAX_RETRY_DELAY_MS = 10_000;

export interface RetryPolicy {
  retries: number;
  /** The first delay; each next one doubles, up to MAX_RETRY_DELAY_MS. */
  baseDelayMs: number;
}

export function retryPolicy(retries = DEFAULT_RETRIES, baseDelayMs = DEFAULT_RETRY_DELAY_MS): RetryPolicy {
  return { retries, baseDelayMs };
}

/**
 * The wait before reconnect number `failures` of a run without progress (1, 2, …), jittered
 * so that senders refused together do not all come back in the same instant.
 */
export function retryDelayMs(policy: RetryPolicy, failures: number, random: () => number = Math.random): number {
  const nominal = Math.min(Math.max(MAX_RETRY_DELAY_MS, policy.baseDelayMs), policy.baseDelayMs * 2 ** (failures - 1));
  return nominal * (0.75 + random() / 2);
}

/** Whether to reconnect after `failures` unproductive attempts in a row ended with this code. */
export function shouldRetry(policy: RetryPolicy, code: ErrorCode, byPeer: boolean, failures: number): boolean {
  return isRetryable(code, byPeer) && failures <= policy.retries;
}
