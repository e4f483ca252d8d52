package dev.egress.clientit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The four claims for one client, on two child JVMs (enforce, dry run) that each make three requests per
 * client: to an allowed destination, to a denied name, and to a denied address literal.
 */
final class ClientChecks {
  static final String CALLER = "dev.egress.clientapps.user.ClientProbe";

  /** One client's three requests: the ClientProbe arguments. */
  record Case(String client, String allowed, String deniedName, String deniedIp) {
    List<String> actions() {
      return List.of(allowed, deniedName, deniedIp);
    }
  }

  private ClientChecks() {}

  static AgentJvm.Result run(Path dir, boolean dryRun, List<Case> cases) throws java.io.IOException {
    java.nio.file.Files.createDirectories(dir);
    Path policy = Policies.write(dir, "policy.json", Policies.standardSet());
    AgentJvm jvm = AgentJvm.standard(dir, policy);
    if (dryRun) {
      jvm.agentArg("mode", "dry-run");
    }
    List<String> actions = new ArrayList<>();
    cases.forEach(c -> actions.addAll(c.actions()));
    AgentJvm.Result r = jvm.probe(actions.toArray(new String[0])).run();
    assertEquals(0, r.exitCode, "child JVM failed\n" + r.describe());
    return r;
  }

  /** Enforce: allowed works; both denied requests fail with the agent's message; DROP records name the caller. */
  static void enforced(AgentJvm.Result r, Case c, String expectedBody) {
    ProbeResult ok = r.result(c.allowed());
    assertEquals("OK", ok.status, c.client() + " allowed: " + ok + "\n" + r.describe());
    assertTrue(ok.detail.contains(expectedBody), c.client() + " allowed answer: " + ok.detail);
    for (String action : List.of(c.deniedName(), c.deniedIp())) {
      ProbeResult d = r.result(action);
      assertEquals("DENIED", d.status, c.client() + ": expected the agent's denial to reach the caller, got "
          + d + "\n" + r.describe());
      assertTrue(d.message.startsWith("Egress denied"), d.message);
      assertTrue(d.hasType("ConnectException") || d.hasType("UnknownHostException")
          || d.hasType("SocketException"), c.client() + ": denial type " + d);
    }
    requireRecord(r, ClientHosts.deniedName(c.client()), "DROP", c);
    requireRecord(r, ClientHosts.deniedAddress(c.client()), "DROP", c);
    requireCallers(r);
  }

  /** Dry run: every request goes through, and the would-be denials are recorded as DRY_RUN_DENIAL. */
  static void dryRun(AgentJvm.Result r, Case c, String expectedBody, String expectedDeniedBody) {
    for (String action : c.actions()) {
      ProbeResult ok = r.result(action);
      assertEquals("OK", ok.status, c.client() + " in dry run: " + ok + "\n" + r.describe());
      assertTrue(ok.detail.contains(action.equals(c.allowed()) ? expectedBody : expectedDeniedBody),
          c.client() + " answer: " + ok.detail);
    }
    requireRecord(r, ClientHosts.deniedName(c.client()), "DRY_RUN_DENIAL", c);
    requireRecord(r, ClientHosts.deniedAddress(c.client()), "DRY_RUN_DENIAL", c);
    assertTrue(r.records().stream().noneMatch(x -> x.path("access_type").asText().equals("DROP")),
        "no DROP in dry run\n" + r.describe());
    requireCallers(r);
  }

  static JsonNode requireRecord(AgentJvm.Result r, String destination, String accessType, Case c) {
    List<JsonNode> found = r.recordsFor(destination);
    assertFalse(found.isEmpty(), c.client() + ": expected a record for " + destination + "\n" + r.describe());
    JsonNode rec = found.stream().filter(x -> accessType.equals(x.path("access_type").asText())).findFirst()
        .orElseThrow(() -> new AssertionError(c.client() + ": records for " + destination + " lack access_type "
            + accessType + "\n" + r.describe()));
    assertEquals(CALLER, rec.path("caller").path("class").asText(), c.client()
        + ": the record must name the code that made the request, not a library or event-loop thread: "
        + rec + "\n" + r.describe());
    assertTrue(rec.path("caller").path("user_code").asBoolean(), "caller is user code: " + rec);
    assertEquals("not-allowed", rec.path("reason").asText(), rec.toString());
    return rec;
  }

  /** Every record of the run names ClientProbe as its caller. */
  static void requireCallers(AgentJvm.Result r) {
    for (JsonNode rec : r.records()) {
      assertEquals(CALLER, rec.path("caller").path("class").asText(),
          "every record names ClientProbe as the caller: " + rec + "\n" + r.describe());
    }
  }
}
