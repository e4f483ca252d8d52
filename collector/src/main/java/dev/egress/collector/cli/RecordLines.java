package dev.egress.collector.cli;

import dev.egress.collector.record.ViolationRow;

/**
 * One record as one line for people: time, workspace, verdict, reason, destination, caller, count.
 */
final class RecordLines {
  private RecordLines() {}

  static String format(ViolationRow r) {
    StringBuilder b = new StringBuilder(160);
    b.append(r.eventTime())
        .append("  ws=")
        .append(r.workspaceId() == null ? "-" : r.workspaceId())
        .append("  ")
        .append(r.accessType().equals("DROP") ? "DROP   " : "DRY-RUN")
        .append("  ")
        .append(r.reason())
        .append("  ")
        .append(r.destination());
    if (r.port() != null) {
      b.append(':').append(r.port());
    }
    if (r.protocol() != null) {
      b.append('/').append(r.protocol());
    }
    if (r.callerKey() != null) {
      b.append("  caller=").append(r.callerKey());
      if (r.callerLine() != null) {
        b.append(':').append(r.callerLine());
      }
      if (Boolean.TRUE.equals(r.callerUserCode())) {
        b.append(" (user code)");
      }
    }
    if (r.count() > 1) {
      b.append("  x").append(r.count());
    }
    return b.toString();
  }
}
