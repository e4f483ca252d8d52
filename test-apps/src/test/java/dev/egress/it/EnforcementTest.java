package dev.egress.it;

import static dev.egress.it.Records.requireDenied;
import static dev.egress.it.Records.requireFor;
import static dev.egress.it.Records.requireOk;
import static dev.egress.it.Records.requireReason;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a denial reaches the application, dry run, and failing closed without a policy (SPEC 4, 6).
 */
class EnforcementTest {
  @TempDir Path dir;

  @Test
  void denialsThrowTheJdkTypeWithAMessageNamingDestinationPolicyAndReason() throws Exception {
    try (TcpServer evil = TcpServer.start("127.0.0.3");
        UdpReceiver udp = UdpReceiver.start("127.0.0.3");
        TcpServer allowed = TcpServer.start(Hosts.address(Hosts.ALLOWED))) {
      String tcp = "socket:127.0.0.3:" + evil.port();
      String dns = "lookup:" + Hosts.EVIL;
      String send = "udp-send:127.0.0.3:" + udp.port();
      String after = "socket:" + Hosts.ALLOWED + ":" + allowed.port();
      Path policy = Policies.write(dir, "policy.json", Policies.standardSet());
      AgentJvm.Result run = AgentJvm.standard(dir, policy).probe(tcp, dns, send, after).run();
      assertAll(
          () -> requireDenied(run, tcp, "ConnectException"),
          () -> requireDenied(run, dns, "UnknownHostException"),
          () -> requireDenied(run, send, "SocketException"),
          () -> assertMessage(run, tcp, "127.0.0.3"),
          () -> assertMessage(run, dns, Hosts.EVIL),
          () -> assertMessage(run, send, "127.0.0.3"),
          // the application's thread goes on: the next request still works
          () -> requireOk(run, after),
          () -> assertEquals(0, run.exitCode, run.describe()));
    }
  }

  private static void assertMessage(AgentJvm.Result run, String label, String destination) {
    String msg = run.result(label).message;
    assertTrue(msg.startsWith("Egress denied"), msg);
    assertTrue(
        msg.contains(destination), label + ": message does not name the destination: " + msg);
    assertTrue(
        msg.contains(Policies.RESTRICTED), label + ": message does not name the policy: " + msg);
    assertTrue(msg.contains("not-allowed"), label + ": message does not give the reason: " + msg);
  }

  @Test
  void dryRunSettingAllowsAndRecords() throws Exception {
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      String tcp = "socket:127.0.0.3:" + evil.port();
      String dns = "lookup:" + Hosts.EVIL;
      Path policy = Policies.write(dir, "policy.json", Policies.standardSet());
      AgentJvm.Result run =
          AgentJvm.standard(dir, policy).agentArg("mode", "dry-run").probe(tcp, dns).run();
      requireOk(run, tcp);
      requireOk(run, dns);
      assertEquals(1, evil.awaitAccepted(1));
      for (String d : List.of("127.0.0.3", Hosts.EVIL)) {
        for (JsonNode r : requireFor(run, d)) {
          assertEquals("DRY_RUN_DENIAL", r.path("access_type").asText(), r.toString());
          assertEquals("not-allowed", r.path("reason").asText(), r.toString());
        }
      }
    }
  }

  @Test
  void policyDryRunAppliesToTheProductsInItsFilter() throws Exception {
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      String tcp = "socket:127.0.0.3:" + evil.port();
      Path filtered =
          Policies.write(dir, "dbsql-dry.json", Policies.set(true, Policies.dryRun("[\"DBSQL\"]")));
      Path everyone =
          Policies.write(dir, "all-dry.json", Policies.set(true, Policies.dryRun("[]")));

      AgentJvm.Result dbsql =
          AgentJvm.standard(dir.resolve("dbsql"), filtered)
              .agentArg("product", "DBSQL")
              .agentArg("violations.log", dir.resolve("dbsql.log").toString())
              .violationsLog(dir.resolve("dbsql.log"))
              .probe(tcp)
              .run();
      AgentJvm.Result general =
          AgentJvm.standard(dir.resolve("general"), filtered)
              .agentArg("violations.log", dir.resolve("general.log").toString())
              .violationsLog(dir.resolve("general.log"))
              .probe(tcp)
              .run();
      AgentJvm.Result all =
          AgentJvm.standard(dir.resolve("all"), everyone)
              .agentArg("violations.log", dir.resolve("all.log").toString())
              .violationsLog(dir.resolve("all.log"))
              .probe(tcp)
              .run();
      assertAll(
          () -> requireOk(dbsql, tcp),
          () ->
              assertEquals(
                  "DRY_RUN_DENIAL",
                  requireFor(dbsql, "127.0.0.3").get(0).path("access_type").asText()),
          () ->
              assertEquals(
                  "DBSQL",
                  requireFor(dbsql, "127.0.0.3").get(0).path("network_source_type").asText()),
          () -> requireDenied(general, tcp, "ConnectException"),
          () ->
              assertEquals(
                  "DROP", requireFor(general, "127.0.0.3").get(0).path("access_type").asText()),
          () ->
              assertEquals(
                  "GENERAL_COMPUTE",
                  requireFor(general, "127.0.0.3").get(0).path("network_source_type").asText()),
          () -> requireOk(all, tcp),
          () ->
              assertEquals(
                  "DRY_RUN_DENIAL",
                  requireFor(all, "127.0.0.3").get(0).path("access_type").asText()));
      assertEquals(
          2, evil.awaitAccepted(2), "the two dry-run JVMs connected, the enforced one did not");
    }
  }

  private static final Pattern COMPLAINT =
      Pattern.compile(
          "unavailable|cannot|can't|could not|failed|invalid|error|missing|no such|not found|malformed|parse|unexpected");

  private void failsClosed(Path policyFile) throws Exception {
    try (TcpServer evil = TcpServer.start("127.0.0.3");
        TcpServer allowed = TcpServer.start(Hosts.address(Hosts.ALLOWED));
        TcpServer internal = TcpServer.start("127.0.0.1")) {
      String e1 = "socket:127.0.0.3:" + evil.port();
      String e2 = "socket:127.0.0.2:" + allowed.port();
      String e3 = "channel:127.0.0.3:" + evil.port();
      String in = "socket:127.0.0.1:" + internal.port();
      AgentJvm.Result run = AgentJvm.standard(dir, policyFile).probe(e1, e2, e3, in).run();
      assertAll(
          () -> requireDenied(run, e1, "ConnectException"),
          () -> requireDenied(run, e2, "ConnectException"),
          () -> requireDenied(run, "channel-open:127.0.0.3:" + evil.port(), "ConnectException"),
          () -> requireOk(run, in),
          () -> requireReason(run, "127.0.0.3", "policy-unavailable"),
          () -> requireReason(run, "127.0.0.2", "policy-unavailable"),
          () ->
              assertEquals(
                  0, run.exitCode, "the JVM keeps running and exits normally\n" + run.describe()));
      assertEquals(0, evil.accepted() + allowed.accepted());
      String name = policyFile.getFileName().toString();
      List<String> complaints =
          run.stderr
              .lines()
              .filter(l -> l.contains(name) && COMPLAINT.matcher(l.toLowerCase(Locale.ROOT)).find())
              .collect(Collectors.toList());
      assertEquals(
          1,
          complaints.size(),
          "exactly one clear stderr message naming "
              + name
              + ", got "
              + complaints
              + "\n"
              + run.describe());
    }
  }

  /**
   * Without any policy setting every non-internal destination is denied; internal ones still work.
   */
  @Test
  void noPolicySettingDeniesEveryExternalDestination() throws Exception {
    try (TcpServer evil = TcpServer.start("127.0.0.3");
        TcpServer allowed = TcpServer.start(Hosts.address(Hosts.ALLOWED));
        TcpServer internal = TcpServer.start("127.0.0.1")) {
      String e1 = "socket:127.0.0.3:" + evil.port();
      String e2 = "socket:" + Hosts.ALLOWED + ":" + allowed.port();
      String in = "socket:127.0.0.1:" + internal.port();
      AgentJvm.Result run =
          AgentJvm.standard(dir, dir.resolve("unused"))
              .removeAgentArg("policy")
              .probe(e1, e2, in)
              .run();
      assertAll(
          () -> requireDenied(run, e1, "ConnectException"),
          () -> Records.requireBlocked(run, e2),
          () -> requireOk(run, in),
          () -> requireFor(run, "127.0.0.3"),
          () -> requireFor(run, Hosts.ALLOWED),
          () -> assertEquals(0, run.exitCode, run.describe()));
      assertEquals(0, evil.accepted() + allowed.accepted());
    }
  }

  @Test
  void missingPolicyFileFailsClosed() throws Exception {
    failsClosed(dir.resolve("no-such-policy.json"));
  }

  @Test
  void malformedPolicyFileFailsClosed() throws Exception {
    Path bad = dir.resolve("broken-policy.json");
    Files.writeString(bad, "{ \"network_policies\": [ { \"network_policy_id\": \"x\", ");
    failsClosed(bad);
  }
}
