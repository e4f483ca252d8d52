package dev.egress.clientit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egress.it.AgentJvm;
import dev.egress.it.Policies;
import dev.egress.it.ProbeResult;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The four claims for one client, on two child JVMs (enforce, dry run) that each make three
 * requests per client: to an allowed destination, to a denied name, and to a denied address
 * literal.
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

  /** The client programs and the client libraries (the file Maven writes). */
  static String classPath() {
    try {
      String deps =
          java.nio.file.Files.readString(
                  java.nio.file.Paths.get(
                      System.getProperty(
                          "client.apps.classpath.file", "target/client-classpath.txt")))
              .trim();
      return System.getProperty("client.apps.classes", "target/classes")
          + java.io.File.pathSeparator
          + deps;
    } catch (java.io.IOException e) {
      throw new RuntimeException("client class path file missing (run through Maven)", e);
    }
  }

  static AgentJvm.Result run(Path dir, boolean dryRun, List<Case> cases)
      throws java.io.IOException {
    java.nio.file.Files.createDirectories(dir);
    Path policy = Policies.write(dir, "policy.json", Policies.standardSet());
    AgentJvm jvm =
        AgentJvm.standard(dir, policy)
            .classPath(classPath())
            .hosts(ClientHosts.content())
            .timeoutSeconds(90);
    if (dryRun) {
      jvm.agentArg("mode", "dry-run");
    }
    List<String> actions = new ArrayList<>();
    cases.forEach(c -> actions.addAll(c.actions()));
    // ClientProbe runs as user code, loaded by UserLauncher's own class loader.
    actions.add(0, "dev.egress.clientapps.user.ClientProbe");
    AgentJvm.Result r =
        jvm.main("dev.egress.clientapps.UserLauncher", actions.toArray(new String[0])).run();
    assertEquals(0, r.exitCode, "child JVM failed\n" + r.describe());
    return r;
  }

  /**
   * Enforce: allowed works; both denied requests fail with the agent's message; DROP records name
   * the caller.
   */
  static void enforced(AgentJvm.Result r, Case c, String expectedBody) {
    ProbeResult ok = r.result(c.allowed());
    assertEquals("OK", ok.status, c.client() + " allowed: " + ok + "\n" + r.describe());
    assertTrue(ok.detail.contains(expectedBody), c.client() + " allowed answer: " + ok.detail);
    for (String action : List.of(c.deniedName(), c.deniedIp())) {
      ProbeResult d = r.result(action);
      assertEquals(
          "DENIED",
          d.status,
          c.client()
              + ": expected the agent's denial to reach the caller, got "
              + d
              + "\n"
              + r.describe());
      assertTrue(d.message.startsWith("Egress denied"), d.message);
      assertTrue(
          d.hasType("ConnectException")
              || d.hasType("UnknownHostException")
              || d.hasType("SocketException"),
          c.client() + ": denial type " + d);
    }
    JsonNode byName = requireRecord(r, ClientHosts.deniedName(c.client()), "DROP", c);
    JsonNode byAddress = requireRecord(r, ClientHosts.deniedAddress(c.client()), "DROP", c);
    requireCaller(r, c, byName, byAddress);
  }

  /**
   * Dry run: every request goes through, and the would-be denials are recorded as DRY_RUN_DENIAL.
   */
  static void dryRun(AgentJvm.Result r, Case c, String expectedBody, String expectedDeniedBody) {
    for (String action : c.actions()) {
      ProbeResult ok = r.result(action);
      assertEquals("OK", ok.status, c.client() + " in dry run: " + ok + "\n" + r.describe());
      assertTrue(
          ok.detail.contains(action.equals(c.allowed()) ? expectedBody : expectedDeniedBody),
          c.client() + " answer: " + ok.detail);
    }
    JsonNode byName = requireRecord(r, ClientHosts.deniedName(c.client()), "DRY_RUN_DENIAL", c);
    JsonNode byAddress =
        requireRecord(r, ClientHosts.deniedAddress(c.client()), "DRY_RUN_DENIAL", c);
    assertTrue(
        r.records().stream().noneMatch(x -> x.path("access_type").asText().equals("DROP")),
        "no DROP in dry run\n" + r.describe());
    requireCaller(r, c, byName, byAddress);
  }

  /**
   * Both records name ClientProbe (user code) as the caller, on every JDK: the requester is carried
   * to the threads the clients create (OkHttp's TaskRunner and dispatcher, HttpClient 5's I/O
   * reactor, gRPC's resolver executor) through Thread.start and ThreadPoolExecutor tasks.
   */
  static void requireCaller(AgentJvm.Result r, Case c, JsonNode... records) {
    List<String> wrong = new ArrayList<>();
    for (JsonNode rec : records) {
      if (!CALLER.equals(rec.path("caller").path("class").asText())
          || !rec.path("caller").path("user_code").asBoolean()) {
        wrong.add(rec.path("destination").asText() + " -> " + rec.path("caller"));
      }
    }
    if (!wrong.isEmpty()) {
      throw new AssertionError(
          c.client()
              + ": the record must name the code that made the request ("
              + CALLER
              + "), not a library, dispatcher or event-loop frame: "
              + wrong
              + "\n"
              + r.describe());
    }
  }

  static JsonNode requireRecord(AgentJvm.Result r, String destination, String accessType, Case c) {
    List<JsonNode> found = r.recordsFor(destination);
    assertFalse(
        found.isEmpty(),
        c.client() + ": expected a record for " + destination + "\n" + r.describe());
    JsonNode rec =
        found.stream()
            .filter(x -> accessType.equals(x.path("access_type").asText()))
            .findFirst()
            .orElseThrow(
                () ->
                    new AssertionError(
                        c.client()
                            + ": records for "
                            + destination
                            + " lack access_type "
                            + accessType
                            + "\n"
                            + r.describe()));
    assertEquals("not-allowed", rec.path("reason").asText(), rec.toString());
    return rec;
  }
}
