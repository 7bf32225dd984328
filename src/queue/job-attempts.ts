/**
 * Whether the attempt a BullMQ job is running is its last: `attemptsMade` counts the attempts
 * finished before this one (0 while the first runs), `attempts` is the job's allowance (BullMQ
 * gives one when it is not set). The outbound worker marks a message failed only then, so that an
 * earlier failure leaves it to be retried.
 */
export function isLastAttempt(attemptsMade: number, attempts: number | undefined): boolean {
  return attemptsMade + 1 >= (attempts ?? 1);
}
