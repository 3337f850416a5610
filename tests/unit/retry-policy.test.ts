// The sender's retry policy: which failures a new connection could fix, a schedule that
// outlasts a busy receiver's own timeouts, and what counts as an attempt that got nowhere.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ERROR_CODES, isRetryable } from '../../main/core/errors.js';
import { HANDSHAKE_TIMEOUT_MS, IDLE_TIMEOUT_MS } from '../../main/core/protocol/limits.js';
import { DEFAULT_RETRIES, retryDelayMs, retryPolicy, shouldRetry } from '../../main/core/transfer/retry-policy.js';
import { FailureStreak } from '../../main/core/transfer/send/failure-streak.js';

test('the default schedule spans at least 30 s whatever the jitter, longer than a receiver frees a slot in', () => {
  const policy = retryPolicy();
  const total = (random: () => number): number =>
    Array.from({ length: DEFAULT_RETRIES }, (_, i) => retryDelayMs(policy, i + 1, random)).reduce((a, b) => a + b, 0);
  const shortest = total(() => 0);
  const longest = total(() => 0.999_999);
  assert.ok(shortest >= 30_000, `shortest schedule ${shortest} ms`);
  assert.ok(shortest > HANDSHAKE_TIMEOUT_MS && shortest > IDLE_TIMEOUT_MS);
  assert.ok(longest <= 60_000, `longest schedule ${longest} ms: a dead receiver is reported within a minute`);
});

test('delays start at 1 s, double, stop growing at 10 s, and are jittered ±25 %', () => {
  const policy = retryPolicy();
  const nominal = [1000, 2000, 4000, 8000, 10_000, 10_000, 10_000];
  nominal.forEach((ms, i) => {
    assert.equal(
      retryDelayMs(policy, i + 1, () => 0.5),
      ms,
      `retry ${i + 1}`,
    );
    assert.equal(
      retryDelayMs(policy, i + 1, () => 0),
      ms * 0.75,
    );
    assert.ok(retryDelayMs(policy, i + 1, () => 0.999) < ms * 1.25);
  });
  // Tests shorten the first delay; the doubling still applies.
  assert.equal(
    retryDelayMs(retryPolicy(3, 50), 3, () => 0.5),
    200,
  );
});

test('the budget counts consecutive failures: retries N allows N reconnects', () => {
  const policy = retryPolicy(2);
  assert.equal(shouldRetry(policy, 'CONNECTION_LOST', false, 1), true);
  assert.equal(shouldRetry(policy, 'CONNECTION_LOST', false, 2), true);
  assert.equal(shouldRetry(policy, 'CONNECTION_LOST', false, 3), false);
  assert.equal(shouldRetry(retryPolicy(0), 'CONNECTION_LOST', false, 1), false);
});

test('what is retried: broken, stalled, garbled or busy connections; never a decision or our own fault', () => {
  const retried = (byPeer: boolean): string[] => ERROR_CODES.filter((c) => isRetryable(c, byPeer));
  assert.deepEqual(retried(false).sort(), [
    'BAD_FRAME',
    'BAD_JSON',
    'BAD_MESSAGE',
    'CONNECTION_LOST',
    'CONNECT_FAILED',
    'SUPERSEDED',
    'TIMEOUT',
    'TLS_ERROR',
    'TOO_MANY_CONNECTIONS',
    'UNEXPECTED_MESSAGE',
  ]);
  // Reported by the receiver in an error frame, a malformed or misplaced message is ours.
  assert.deepEqual(retried(true).sort(), ['BAD_FRAME', 'BAD_JSON', 'CONNECTION_LOST', 'SUPERSEDED', 'TIMEOUT', 'TOO_MANY_CONNECTIONS']);
  for (const never of [
    'DECLINED',
    'NO_SPACE',
    'CANCELLED',
    'UNSUPPORTED_VERSION',
    'IDENTITY_MISMATCH',
    'AUTH_FAILED',
    'RATE_LIMITED',
  ] as const) {
    assert.equal(isRetryable(never, false), false, never);
  }
});

test('only attempts in a row that achieved nothing count against the budget', () => {
  const streak = new FailureStreak(0);
  streak.failed(0, false, null); // refused before any answer
  streak.failed(10, false, null);
  assert.equal(streak.failures, 2);
  assert.equal(streak.since, 0);
  // A file verified for the first time is progress: the next run starts at this attempt.
  streak.failed(20, true, null);
  assert.equal(streak.failures, 1);
  assert.equal(streak.since, 20);
  streak.failed(30, false, null);
  assert.equal(streak.failures, 2);
  assert.equal(streak.since, 20);
});

test('more held at an answer than ever before is progress; the same amount again is not', () => {
  const streak = new FailureStreak(0);
  streak.failed(0, false, 1000);
  assert.equal(streak.failures, 1);
  // The receiver kept what the last attempt sent.
  streak.failed(10, false, 5000);
  assert.deepEqual([streak.failures, streak.since], [1, 10]);
  // It keeps nothing new: bytes merely sent again do not count, or it would be retried for ever.
  streak.failed(20, false, 5000);
  streak.failed(30, false, 4000);
  assert.deepEqual([streak.failures, streak.since], [3, 10]);
  streak.failed(40, false, 6000);
  assert.deepEqual([streak.failures, streak.since], [1, 40]);
});
