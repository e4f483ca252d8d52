package dev.egress.it;

import static dev.egress.it.Records.requireBlocked;
import static dev.egress.it.Records.requireDenied;
import static dev.egress.it.Records.requireNoneFor;
import static dev.egress.it.Records.requireOk;
import static dev.egress.it.Records.requireReason;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** What the policy document decides, seen from a child JVM (SPEC section 4). */
class DecisionsTest {
  @TempDir Path dir;

  /** Starts an accept-and-close server behind each name; closes them all at the end. */
  static final class Servers implements AutoCloseable {
    final Map<String, TcpServer> byName = new LinkedHashMap<>();

    Servers(Iterable<String> names) {
      for (String n : names) {
        byName.put(n, TcpServer.start(Hosts.address(n)));
      }
    }

    String target(String name) {
      return name + ":" + byName.get(name).port();
    }

    @Override
    public void close() {
      byName.values().forEach(TcpServer::close);
    }
  }

  /** name → null (allowed) or the expected reason; and the canonical destination a record names. */
  private static final Map<String, String> RESTRICTED_EXPECTATIONS = new LinkedHashMap<>();

  static {
    RESTRICTED_EXPECTATIONS.put(Hosts.ALLOWED, null);
    RESTRICTED_EXPECTATIONS.put(Hosts.ALLOWED_UPPER, null);
    RESTRICTED_EXPECTATIONS.put(Hosts.ALLOWED_DOT, null);
    RESTRICTED_EXPECTATIONS.put(Hosts.WILD_ONE, null);
    RESTRICTED_EXPECTATIONS.put(Hosts.WILD_DEEP, null);
    RESTRICTED_EXPECTATIONS.put(Hosts.WILD_MIXED_DOT, null);
    RESTRICTED_EXPECTATIONS.put(Hosts.OWN_WORKSPACE, null);
    RESTRICTED_EXPECTATIONS.put(Hosts.OWN_DEPLOYMENT, null);
    RESTRICTED_EXPECTATIONS.put(Hosts.ALLOWED_WORKSPACE, null);
    RESTRICTED_EXPECTATIONS.put(Hosts.UC_CONNECTION, null);
    RESTRICTED_EXPECTATIONS.put(
        Hosts.LAKEPROD, null); // allowed storage, reached by platform (class path) code
    RESTRICTED_EXPECTATIONS.put(Hosts.WILD_APEX, "not-allowed");
    RESTRICTED_EXPECTATIONS.put(Hosts.EVIL, "not-allowed");
    RESTRICTED_EXPECTATIONS.put(Hosts.EVIL_UPPER_DOT, "not-allowed");
    RESTRICTED_EXPECTATIONS.put(Hosts.WILD_BLOCKED, "blocked-destination");
    RESTRICTED_EXPECTATIONS.put(Hosts.OTHER_WORKSPACE, "cross-workspace");
    RESTRICTED_EXPECTATIONS.put(Hosts.OTHER_DEPLOYMENT, "cross-workspace");
  }

  /**
   * Lower case, one trailing dot removed: how SPEC section 4 compares and section 6 reports names.
   */
  private static String canonical(String name) {
    String n = name.toLowerCase(java.util.Locale.ROOT);
    return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
  }

  /**
   * One restricted JVM looks up and connects to every test name: allowed names, wildcards at any
   * depth (not the apex), upper case and trailing dot spellings, the blocked-destination override,
   * its own workspace's deployment hosts, another workspace's (cross-workspace),
   * allowed_databricks_destinations, the Unity Catalog connection host, allowed storage.
   */
  @Test
  void restrictedAccessDecidesEveryKindOfDestination() throws Exception {
    try (Servers servers = new Servers(RESTRICTED_EXPECTATIONS.keySet())) {
      List<String> actions = new ArrayList<>();
      for (String name : RESTRICTED_EXPECTATIONS.keySet()) {
        actions.add("lookup:" + name);
        actions.add("socket:" + servers.target(name));
      }
      Path policy = Policies.write(dir, "policy.json", Policies.standardSet());
      AgentJvm.Result run =
          AgentJvm.standard(dir, policy).probe(actions.toArray(new String[0])).run();
      List<Executable> checks = new ArrayList<>();
      for (Map.Entry<String, String> e : RESTRICTED_EXPECTATIONS.entrySet()) {
        String name = e.getKey();
        String reason = e.getValue();
        TcpServer server = servers.byName.get(name);
        if (reason == null) {
          checks.add(() -> requireOk(run, "lookup:" + name));
          checks.add(() -> requireOk(run, "socket:" + servers.target(name)));
          checks.add(() -> requireNoneFor(run, canonical(name)));
          checks.add(() -> assertEquals(1, server.awaitAccepted(1), name + " server connections"));
        } else {
          checks.add(() -> requireDenied(run, "lookup:" + name, "UnknownHostException"));
          checks.add(() -> requireBlocked(run, "socket:" + servers.target(name)));
          checks.add(() -> assertEquals(0, server.accepted(), name + " must not be reached"));
          checks.add(() -> requireReason(run, canonical(name), reason));
        }
      }
      assertAll(checks);
      // The upper-case, trailing-dot spelling is reported canonically, never as typed.
      requireNoneFor(run, Hosts.EVIL_UPPER_DOT);
      requireNoneFor(run, "evil.example.net.");
      assertEquals(0, run.exitCode, run.describe());
    }
  }

  @Test
  void fullAccessAllowsWhatRestrictedAccessDenies() throws Exception {
    try (TcpServer evil = TcpServer.start(Hosts.address(Hosts.EVIL))) {
      String[] actions = {
        "lookup:" + Hosts.EVIL,
        "socket:" + Hosts.EVIL + ":" + evil.port(),
        "socket:127.0.0.3:" + evil.port()
      };
      Path full = Policies.write(dir, "full.json", Policies.bareFullAccess("open"));
      AgentJvm.Result open = AgentJvm.standard(dir, full).probe(actions).run();
      Path restricted = Policies.write(dir, "restricted.json", Policies.bare("closed"));
      AgentJvm.Result closed =
          AgentJvm.standard(dir.resolve("r"), restricted)
              .agentArg("violations.log", dir.resolve("r.log").toString())
              .violationsLog(dir.resolve("r.log"))
              .probe(actions)
              .run();
      assertAll(
          () -> requireOk(open, actions[0]),
          () -> requireOk(open, actions[1]),
          () -> requireOk(open, actions[2]),
          () -> assertEquals(List.of(), open.logLines(), "FULL_ACCESS reports nothing"),
          () -> requireDenied(closed, actions[0], "UnknownHostException"),
          () -> requireBlocked(closed, actions[1]),
          () -> requireDenied(closed, actions[2], "ConnectException"),
          () -> requireReason(closed, Hosts.EVIL, "not-allowed"),
          () -> requireReason(closed, "127.0.0.3", "not-allowed"));
      assertEquals(2, evil.awaitAccepted(2), "only the FULL_ACCESS JVM connected");
    }
  }

  /** A bound workspace uses its policy; an unbound one the default-policy; without one, nothing. */
  @Test
  void workspaceBindingAndDefaultPolicy() throws Exception {
    try (TcpServer allowed = TcpServer.start(Hosts.address(Hosts.ALLOWED));
        TcpServer evil = TcpServer.start(Hosts.address(Hosts.EVIL))) {
      String[] actions = {
        "socket:" + Hosts.ALLOWED + ":" + allowed.port(), "socket:" + Hosts.EVIL + ":" + evil.port()
      };
      Path withDefault = Policies.write(dir, "with-default.json", Policies.set(true, ""));
      Path noDefault = Policies.write(dir, "no-default.json", Policies.set(false, ""));

      AgentJvm.Result bound = AgentJvm.standard(dir, noDefault).probe(actions).run();
      requireOk(bound, actions[0]);
      requireBlocked(bound, actions[1]);
      JsonNode r = requireReason(bound, Hosts.EVIL, "not-allowed");
      assertEquals("restricted", r.path("network_policy_id").asText(), r.toString());
      assertEquals("1234", r.path("workspace_id").asText(), r.toString());
      assertEquals(Policies.ACCOUNT, r.path("account_id").asText(), r.toString());

      Path d2 = dir.resolve("unbound-default");
      AgentJvm.Result unboundDefault =
          AgentJvm.standard(d2, withDefault).agentArg("workspace.id", "4321").probe(actions).run();
      requireOk(unboundDefault, actions[0]);
      requireOk(unboundDefault, actions[1]);
      assertEquals(List.of(), unboundDefault.logLines(), "default-policy is FULL_ACCESS here");

      Path d3 = dir.resolve("unbound-none");
      AgentJvm.Result unboundNone =
          AgentJvm.standard(d3, noDefault).agentArg("workspace.id", "4321").probe(actions).run();
      requireBlocked(unboundNone, actions[0]);
      requireBlocked(unboundNone, actions[1]);
      Records.requireFor(unboundNone, Hosts.ALLOWED);
      assertEquals(
          1, evil.awaitAccepted(1), "evil reached only by the FULL_ACCESS default workspace");
    }
  }

  @Test
  void bareAccountNetworkPolicy() throws Exception {
    try (TcpServer allowed = TcpServer.start(Hosts.address(Hosts.ALLOWED));
        TcpServer evil = TcpServer.start(Hosts.address(Hosts.EVIL))) {
      String a = "socket:" + Hosts.ALLOWED + ":" + allowed.port();
      String e = "socket:" + Hosts.EVIL + ":" + evil.port();
      Path policy = Policies.write(dir, "bare.json", Policies.bare("bare-policy"));
      AgentJvm.Result run = AgentJvm.standard(dir, policy).probe(a, e).run();
      requireOk(run, a);
      requireBlocked(run, e);
      assertEquals(0, evil.accepted());
      JsonNode r = requireReason(run, Hosts.EVIL, "not-allowed");
      assertEquals("bare-policy", r.path("network_policy_id").asText(), r.toString());
    }
  }

  /**
   * getByAddress("allowed.example.com", 127.0.0.3) carries a name nobody resolved to that address.
   */
  @Test
  void forgedNameIsJudgedByItsAddress() throws Exception {
    try (TcpServer allowed = TcpServer.start(Hosts.address(Hosts.ALLOWED));
        TcpServer evil = TcpServer.start(Hosts.address(Hosts.EVIL))) {
      String forgedEvil = "forged:" + Hosts.ALLOWED + ":127.0.0.3:" + evil.port();
      String genuine = "forged:" + Hosts.ALLOWED + ":127.0.0.2:" + allowed.port();
      Path policy = Policies.write(dir, "policy.json", Policies.standardSet());
      AgentJvm.Result run =
          AgentJvm.standard(dir, policy)
              .probe("lookup:" + Hosts.ALLOWED, forgedEvil, genuine)
              .run();
      assertAll(
          () -> requireDenied(run, forgedEvil, "ConnectException"),
          () -> requireOk(run, genuine),
          () -> assertEquals(0, evil.accepted(), "forged connection reached 127.0.0.3"));
      JsonNode r = requireReason(run, "127.0.0.3", "unverified-name");
      assertEquals("IP", r.path("destination_type").asText(), r.toString());
      assertEquals("127.0.0.3", r.path("ip_event").path("ip_address").asText(), r.toString());
      requireNoneFor(run, Hosts.ALLOWED);
    }
  }

  /**
   * 2130706435, 127.3 and 127.0.3 are all 127.0.0.3 to the JDK, with no lookup: judged as that
   * address.
   */
  @Test
  void numericIpLiteralsAreJudgedAsAddresses() throws Exception {
    try (TcpServer evil = TcpServer.start("127.0.0.3");
        TcpServer internal = TcpServer.start("127.0.0.1")) {
      List<String> denied =
          List.of(
              "socket:2130706435:" + evil.port(),
              "socket:127.3:" + evil.port(),
              "socket:127.0.3:" + evil.port(),
              "socket:127.0.0.3:" + evil.port());
      String internalLiteral = "socket:2130706433:" + internal.port();
      List<String> actions = new ArrayList<>(denied);
      actions.add(internalLiteral);
      Path policy = Policies.write(dir, "policy.json", Policies.standardSet());
      AgentJvm.Result run =
          AgentJvm.standard(dir, policy).probe(actions.toArray(new String[0])).run();
      List<Executable> checks = new ArrayList<>();
      for (String d : denied) {
        checks.add(() -> requireDenied(run, d, "ConnectException"));
      }
      checks.add(() -> requireOk(run, internalLiteral));
      assertAll(checks);
      assertEquals(0, evil.accepted());
      List<JsonNode> recs = Records.requireFor(run, "127.0.0.3");
      assertEquals(denied.size(), Records.countSum(recs), run.describe());
      for (JsonNode r : recs) {
        assertEquals("IP", r.path("destination_type").asText(), r.toString());
      }
      assertTrue(
          run.records().stream().allMatch(r -> r.path("destination").asText().equals("127.0.0.3")),
          "only 127.0.0.3 is reported (127.0.0.1 is internal)\n" + run.describe());
    }
  }

  /** ::1 is external when only 127.0.0.1/32 is internal; ::ffff:127.0.0.3 is 127.0.0.3. */
  @Test
  void ipv6LoopbackAndMappedAddressesAreJudged() throws Exception {
    try (TcpServer v6 = TcpServer.start("::1");
        TcpServer evil = TcpServer.start("127.0.0.3")) {
      String six = "socket:[::1]:" + v6.port();
      String mapped = "socket:[::ffff:127.0.0.3]:" + evil.port();
      Path policy = Policies.write(dir, "policy.json", Policies.standardSet());
      AgentJvm.Result external = AgentJvm.standard(dir, policy).probe(six, mapped).run();
      AgentJvm.Result internal =
          AgentJvm.standard(dir.resolve("internal"), policy)
              .agentArg("internal.cidrs", "127.0.0.1/32;::1/128")
              .agentArg("violations.log", dir.resolve("internal.log").toString())
              .violationsLog(dir.resolve("internal.log"))
              .probe(six)
              .run();
      assertAll(
          () -> requireDenied(external, six, "ConnectException"),
          () -> requireDenied(external, mapped, "ConnectException"),
          () -> requireReason(external, "127.0.0.3", "not-allowed"),
          () -> requireOk(internal, six),
          () -> assertEquals(List.of(), internal.logLines()));
      assertEquals(0, evil.accepted());
      assertEquals(1, v6.awaitAccepted(1));
    }
  }
}
