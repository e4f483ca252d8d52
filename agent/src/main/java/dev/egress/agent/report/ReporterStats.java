package dev.egress.agent.report;

/**
 * A snapshot of a {@link Reporter}'s counters. Each offer ends in exactly one of: a new pending
 * record (later {@code written}), {@code folded} into a pending record, or {@code dropped}; so once
 * quiet, {@code offered == written + folded + dropped + pending}.
 *
 * @param offered violations offered
 * @param folded offers merged into a pending record (its count went up)
 * @param dropped offers lost because {@code maxPending} distinct records were waiting, or after
 *     close
 * @param written records handed to the sinks
 * @param sinkFailures failed sink calls (write, flush or close), all sinks together
 * @param pending distinct records waiting to be written
 */
public record ReporterStats(
    long offered, long folded, long dropped, long written, long sinkFailures, int pending) {}
