package dev.egress.it.hostile;

import static dev.egress.it.hostile.H.a;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.egress.it.AgentJvm;
import dev.egress.it.Hosts;
import dev.egress.it.TcpServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Address literals spelled so that a string-based check would miss them. The agent decides on the
 * InetAddress the JDK connects to, so every spelling of 127.0.0.3 (an external address in these
 * tests: internal.cidrs is 127.0.0.1/32) must be denied and recorded as 127.0.0.3.
 */
class IpEncodingTest {
  @TempDir Path dir;

  @Test
  void decimalDwordAndShortFormsOfADeniedAddressAreDenied() {
    try (TcpServer evil = TcpServer.start(Hosts.address(Hosts.EVIL))) {
      List<String> actions = new ArrayList<>();
      for (String spelling :
          List.of(
              "2130706435",
              "127.3",
              "127.0.3",
              "127.000.000.003",
              "::ffff:127.0.0.3",
              "0:0:0:0:0:ffff:7f00:3")) {
        actions.add(a("socket", spelling, evil.port()));
      }
      AgentJvm.Result run = H.runUser(H.jvm(dir), actions.toArray(new String[0]));
      List<Executable> checks = new ArrayList<>();
      for (String action : actions) {
        checks.add(() -> H.denied(run, action, "ConnectException"));
      }
      checks.add(
          () -> assertEquals(0, evil.accepted(), "an encoded literal reached the denied server"));
      checks.add(
          () ->
              assertEquals(
                  actions.size(),
                  H.records(
                          run,
                          r ->
                              r.path("destination").asText().equals("127.0.0.3")
                                  && r.path("reason").asText().equals("not-allowed"))
                      .stream()
                      .mapToLong(r -> r.path("count").asLong())
                      .sum(),
                  "one not-allowed record for 127.0.0.3 per spelling\n" + run.describe()));
      assertAll(checks);
      H.userCaller(H.record(run, "127.0.0.3", "not-allowed", "TCP"));
    }
  }

  /**
   * "0177.0.0.3" is 177.0.0.3 to Java (and 127.0.0.3 to glibc and curl); 177.0.0.3 is not loopback,
   * so the child runs in a network namespace with only loopback.
   */
  @Test
  void leadingZeroOctetsAreJudgedAsJavaReadsThem() {
    String octal = a("socket", "0177.0.0.3", 80);
    String octalAll = a("socket", "0177.0000.0000.0003", 80);
    AgentJvm.Result run = H.runUser(H.jvm(dir).loopbackOnlyNetns(), octal, octalAll);
    assertAll(
        () -> H.denied(run, octal, "ConnectException"),
        () -> H.denied(run, octalAll, "ConnectException"),
        () -> H.record(run, "177.0.0.3", "not-allowed"));
  }

  /**
   * "0x7f000003" is not an address to Java 17.0.3+ (an ambiguous literal is refused before any
   * lookup); with {@code -Djdk.net.allowAmbiguousIPAddressLiterals=true} it becomes a name that
   * glibc would read as 127.0.0.3: the lookup itself must then be judged (and is denied as a name
   * not in the policy).
   */
  @Test
  void hexLiteralIsRefusedOrJudgedAsAName() {
    String hex = a("lookup", "0x7f000003");
    String hexSocket = a("socket", "0x7f.0.0.3", 80);
    AgentJvm.Result strict =
        H.runUser(H.jvm(dir.resolve("strict")).loopbackOnlyNetns(), hex, hexSocket);
    AgentJvm.Result lax =
        H.runUser(
            H.jvm(dir.resolve("lax"))
                .loopbackOnlyNetns()
                .sysProp("jdk.net.allowAmbiguousIPAddressLiterals", "true"),
            hex,
            hexSocket);
    assertAll(
        () -> H.notOk(strict, hex),
        () -> H.notOk(strict, hexSocket),
        () -> H.denied(lax, hex, "UnknownHostException"),
        () -> H.blocked(lax, hexSocket),
        () -> H.record(lax, "0x7f000003", "not-allowed", "DNS"),
        () -> H.record(lax, "0x7f.0.0.3", "not-allowed", "DNS"));
  }

  /**
   * ::127.0.0.3 (IPv4-compatible) is an IPv6 address that is not loopback: it must be judged, not
   * waved through.
   */
  @Test
  void ipv4CompatibleAddressIsJudged() {
    String compat = a("socket", "::127.0.0.3", 80);
    String compatInternal = a("socket", "::127.0.0.1", 80);
    AgentJvm.Result run = H.runUser(H.jvm(dir).loopbackOnlyNetns(), compat, compatInternal);
    assertAll(
        () -> H.denied(run, compat, "ConnectException"),
        () -> H.denied(run, compatInternal, "ConnectException"),
        () -> H.record(run, "0:0:0:0:0:0:7f00:3", "not-allowed"));
  }

  /**
   * Translation prefixes that reach an IPv4 host through a gateway: NAT64 (64:ff9b::/96) and 6to4
   * (2002::/16) spellings of the metadata address, and IPv4-compatible/mapped forms, under
   * FULL_ACCESS from user code: every one is the metadata endpoint.
   */
  @Test
  void nat64And6to4SpellingsOfMetadataAreDeniedUnderFullAccess() {
    List<String> actions = new ArrayList<>();
    for (String spelling :
        List.of(
            "64:ff9b::a9fe:a9fe",
            "64:ff9b::169.254.169.254",
            "2002:a9fe:a9fe::",
            "2002:a9fe:a9fe:1::1",
            "::169.254.169.254",
            "::ffff:a9fe:a9fe",
            "2852039166",
            "169.254.43518",
            "0251.0376.0251.0376")) {
      actions.add(a("socket", spelling, 80));
    }
    AgentJvm.Result run =
        H.runUser(
            H.jvm(dir, H.fullAccessPolicy(dir)).loopbackOnlyNetns(),
            actions.toArray(new String[0]));
    List<Executable> checks = new ArrayList<>();
    for (String action : actions) {
      // "0251.0376.0251.0376" is no literal to Java (376 > 255): a name, which glibc would read as
      // 169.254.169.254; its lookup is the metadata denial.
      checks.add(() -> H.denied(run, action, action.contains("0251.") ? null : "ConnectException"));
    }
    checks.add(
        () ->
            assertEquals(
                actions.size(),
                H.records(run, r -> r.path("reason").asText().equals("metadata-endpoint")).stream()
                    .mapToLong(r -> r.path("count").asLong())
                    .sum(),
                "metadata-endpoint records\n" + run.describe()));
    assertAll(checks);
  }

  /**
   * The any-address ("0", "0.0.0.0", "::") connects to this host: the JDK replaces it with {@code
   * InetAddress.getLocalHost()}, a lookup of the machine's own name, before connecting. With
   * loopback outside internal.cidrs and the own name not resolvable, nothing is reached and the
   * lookup is the denial.
   */
  @Test
  void anyAddressDoesNotReachALoopbackListenerThatIsNotInternal() {
    try (TcpServer v4 = TcpServer.start("127.0.0.1");
        TcpServer v6 = TcpServer.start("::1")) {
      String zero = a("socket", "0", v4.port());
      String zeros = a("socket", "0.0.0.0", v4.port());
      String anyV6 = a("socket", "::", v6.port());
      String anyV6Long = a("socket", "0:0:0:0:0:0:0:0", v6.port());
      String mappedAny = a("socket", "::ffff:0.0.0.0", v4.port());
      AgentJvm.Result run =
          H.runUser(
              H.jvm(dir).agentArg("internal.cidrs", "10.99.0.0/16"),
              zero,
              zeros,
              anyV6,
              anyV6Long,
              mappedAny);
      assertAll(
          () -> H.blocked(run, zero),
          () -> H.blocked(run, zeros),
          () -> H.blocked(run, anyV6),
          () -> H.blocked(run, anyV6Long),
          () -> H.blocked(run, mappedAny),
          () -> assertEquals(0, v4.accepted(), "the any-address reached 127.0.0.1"),
          () -> assertEquals(0, v6.accepted(), "the any-address reached ::1"));
    }
  }

  /**
   * What the any-address reaches is the machine's own name, which the agent always counts as
   * internal (README: internal.hosts): with that name resolving to loopback, "0.0.0.0" reaches the
   * 127.0.0.1 listener. Documented behaviour, not a bypass: connecting to the own host name
   * directly is allowed the same way.
   */
  @Test
  void anyAddressIsJudgedAsTheMachinesOwnName() throws Exception {
    String own = java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
    try (TcpServer v4 = TcpServer.start("127.0.0.1")) {
      String zeros = a("socket", "0.0.0.0", v4.port());
      String byName = a("socket", own, v4.port());
      AgentJvm.Result run =
          H.runUser(H.jvm(dir).hosts(H.hosts() + "127.0.0.1 " + own + "\n"), zeros, byName);
      H.ok(run, zeros);
      H.ok(run, byName);
    }
  }
}
