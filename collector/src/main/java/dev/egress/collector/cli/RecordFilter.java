package dev.egress.collector.cli;

import dev.egress.collector.record.EventTimes;
import dev.egress.collector.record.ViolationRow;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The filters of {@code tail} and {@code summarize}: applied locally to a log, or sent as query
 * parameters to the collector (which applies the same rules).
 */
public final class RecordFilter {
  @Option(names = "--workspace", description = "Only this workspace id.")
  Long workspace;

  @Option(
      names = "--reason",
      description = "Only this reason (not-allowed, blocked-destination, ...).")
  String reason;

  @Option(
      names = "--destination",
      description = "Only this destination; *.example.com for every name under example.com.")
  String destination;

  @Option(
      names = "--since",
      description =
          "Only records at or after this time: ISO-8601 (2025-01-31T12:00:00Z) or an age (90s, 15m, 2h, 7d).")
  String since;

  /** Resolved once so that a relative --since does not move while following. */
  private Long sinceMs;

  long sinceMillis() {
    if (sinceMs == null) {
      sinceMs = since == null ? Long.MIN_VALUE : parseSince(since, Instant.now());
    }
    return sinceMs;
  }

  static long parseSince(String s, Instant now) {
    String v = s.trim().toLowerCase(Locale.ROOT);
    if (v.matches("[0-9]+[smhd]")) {
      long n = Long.parseLong(v.substring(0, v.length() - 1));
      Duration d;
      switch (v.charAt(v.length() - 1)) {
        case 's':
          d = Duration.ofSeconds(n);
          break;
        case 'm':
          d = Duration.ofMinutes(n);
          break;
        case 'h':
          d = Duration.ofHours(n);
          break;
        default:
          d = Duration.ofDays(n);
      }
      return now.minus(d).toEpochMilli();
    }
    Instant t = EventTimes.parse(s.length() == 10 ? s + "T00:00:00Z" : s);
    if (t == null) {
      throw new IllegalArgumentException("--since: not a time or an age: " + s);
    }
    return t.toEpochMilli();
  }

  boolean matches(ViolationRow r) {
    if (workspace != null && !workspace.equals(r.workspaceId())) {
      return false;
    }
    if (reason != null && !reason.equals(r.reason())) {
      return false;
    }
    if (destination != null) {
      if (destination.startsWith("*.")) {
        if (!r.destination().endsWith(destination.substring(1))) {
          return false;
        }
      } else if (!destination.equals(r.destination())) {
        return false;
      }
    }
    return r.eventTimeMs() >= sinceMillis();
  }

  /** The same filters as query parameters of the collector's API. */
  Map<String, String> asParams() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("workspace_id", workspace == null ? null : workspace.toString());
    m.put("reason", reason);
    m.put("destination", destination);
    m.put("from", since == null ? null : EventTimes.format(sinceMillis()));
    return m;
  }
}
