package dev.egress.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/** Assertions on violation records and RESULT lines. */
final class Records {
  private Records() {}

  static long countSum(List<JsonNode> records) {
    return records.stream().mapToLong(r -> r.path("count").asLong(0)).sum();
  }

  static List<JsonNode> matching(AgentJvm.Result run, Predicate<JsonNode> p) {
    return run.records().stream().filter(p).collect(Collectors.toList());
  }

  /** The records naming {@code destination}; fails unless there is at least one. */
  static List<JsonNode> requireFor(AgentJvm.Result run, String destination) {
    List<JsonNode> found = run.recordsFor(destination);
    assertFalse(
        found.isEmpty(),
        "expected a violation record with destination " + destination + "\n" + run.describe());
    return found;
  }

  /** At least one record names {@code destination} with {@code reason}. */
  static JsonNode requireReason(AgentJvm.Result run, String destination, String reason) {
    List<JsonNode> found = requireFor(run, destination);
    return found.stream()
        .filter(r -> reason.equals(r.path("reason").asText()))
        .findFirst()
        .orElseThrow(
            () ->
                new AssertionError(
                    "records for "
                        + destination
                        + " have reason(s) "
                        + found.stream()
                            .map(r -> r.path("reason").asText())
                            .collect(Collectors.toList())
                        + ", expected "
                        + reason
                        + "\n"
                        + run.describe()));
  }

  /**
   * A STORAGE record for {@code hostname} with {@code reason} (destination is the storage
   * location).
   */
  static JsonNode requireStorage(AgentJvm.Result run, String hostname, String reason) {
    List<JsonNode> found =
        matching(run, r -> hostname.equals(r.path("storage_event").path("hostname").asText()));
    assertFalse(
        found.isEmpty(),
        "expected a STORAGE record with storage_event.hostname "
            + hostname
            + "\n"
            + run.describe());
    JsonNode r =
        found.stream()
            .filter(x -> reason.equals(x.path("reason").asText()))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        "storage records for "
                            + hostname
                            + " lack reason "
                            + reason
                            + "\n"
                            + run.describe()));
    assertEquals("STORAGE", r.path("destination_type").asText(), r.toString());
    assertEquals(reason, r.path("storage_event").path("rejection_reason").asText(), r.toString());
    assertTrue(
        r.path("destination").asText().contains(hostname.substring(0, hostname.indexOf('.'))),
        "destination names the storage location: " + r);
    return r;
  }

  static void requireNoneFor(AgentJvm.Result run, String destination) {
    assertTrue(
        run.recordsFor(destination).isEmpty(),
        "expected no violation record for " + destination + "\n" + run.describe());
  }

  static void requireDenied(AgentJvm.Result run, String label, String jdkType) {
    ProbeResult r = run.result(label);
    assertEquals("DENIED", r.status, label + ": expected DENIED, got " + r + "\n" + run.describe());
    assertTrue(r.message.startsWith("Egress denied"), label + ": message " + r.message);
    if (jdkType != null) {
      assertTrue(
          r.hasType(jdkType),
          label
              + ": denial "
              + r.egressClass
              + " is not a "
              + jdkType
              + " (types "
              + r.types
              + ")\n"
              + run.describe());
    }
  }

  static void requireOk(AgentJvm.Result run, String label) {
    ProbeResult r = run.result(label);
    assertEquals("OK", r.status, label + ": expected OK, got " + r + "\n" + run.describe());
  }

  /**
   * Not OK: either an egress denial, or the JDK's own UnknownHostException after a denied lookup.
   */
  static void requireBlocked(AgentJvm.Result run, String label) {
    ProbeResult r = run.result(label);
    assertTrue(
        r.denied() || (r.status.equals("ERROR") && r.hasType("UnknownHostException")),
        label
            + ": expected a denial (or an UnknownHostException after a denied lookup), got "
            + r
            + "\n"
            + run.describe());
  }
}
