package dev.egress.agent.report;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A record waiting to be written, with the number of identical offers folded into it. Lock-free so
 * that application threads never wait: offers increment the counter; the reporter, after removing
 * the record from the pending map, seals it by swapping in a negative sentinel. An increment that
 * sees the sentinel lost the race and starts a fresh record, so no offer is counted twice or lost.
 */
final class PendingRecord {
  private static final long SEALED = Long.MIN_VALUE;

  final ViolationRecord first;

  /** When the fold window of this record opened (reporter clock, nanoseconds). */
  final long openedNanos;

  private final AtomicLong count = new AtomicLong(1);

  PendingRecord(ViolationRecord first, long openedNanos) {
    this.first = first;
    this.openedNanos = openedNanos;
  }

  /** Counts one more identical offer; false when the record was already sealed. */
  boolean tryAdd() {
    // After sealing the value stays negative however many late increments arrive.
    return count.getAndIncrement() >= 0;
  }

  /** Stops further folding and returns the final count. Called once, by the reporter thread. */
  long seal() {
    return count.getAndSet(SEALED);
  }
}
