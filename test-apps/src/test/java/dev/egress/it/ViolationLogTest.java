package dev.egress.it;

import static dev.egress.it.Records.requireFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The violation record (SPEC section 6), field by field, and a violation storm. */
class ViolationLogTest {
  @TempDir Path dir;

  static final Pattern MILLIS = Pattern.compile("T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]00:00)$");

  private static void commonFields(JsonNode r, long pid, int expectedPort, String protocol) {
    String s = r.toString();
    UUID.fromString(r.path("event_id").asText()); // throws if not a UUID
    String time = r.path("event_time").asText();
    assertTrue(MILLIS.matcher(time).find(), "event_time with millis, UTC: " + s);
    assertEquals(ZoneOffset.UTC, OffsetDateTime.parse(time).getOffset(), s);
    assertEquals(Policies.ACCOUNT, r.path("account_id").asText(), s);
    assertEquals("1234", r.path("workspace_id").asText(), s);
    assertEquals(Policies.RESTRICTED, r.path("network_policy_id").asText(), s);
    assertEquals("DROP", r.path("access_type").asText(), s);
    assertEquals("GENERAL_COMPUTE", r.path("network_source_type").asText(), s);
    assertEquals(protocol, r.path("protocol").asText(), s);
    if (expectedPort > 0) {
      assertTrue(r.path("port").isIntegralNumber(), "port is a number: " + s);
      assertEquals(expectedPort, r.path("port").asInt(), s);
    }
    assertEquals("not-allowed", r.path("reason").asText(), s);
    JsonNode c = r.path("caller");
    assertTrue(c.isObject(), "caller: " + s);
    assertEquals("dev.egress.testapps.Probe", c.path("class").asText(), "caller.class: " + s);
    assertTrue(
        c.path("method").isTextual() && !c.path("method").asText().isEmpty(),
        "caller.method: " + s);
    assertTrue(
        c.path("line").isIntegralNumber() && c.path("line").asInt() > 0, "caller.line: " + s);
    assertTrue(
        c.path("code_source").isTextual() && c.path("code_source").asText().contains("classes"),
        "caller.code_source: " + s);
    assertTrue(c.path("user_code").isBoolean(), "caller.user_code is a boolean: " + s);
    assertFalse(c.path("user_code").asBoolean(), "Probe on the class path is not user code: " + s);
    JsonNode p = r.path("process");
    assertTrue(p.path("pid").isIntegralNumber(), "process.pid: " + s);
    assertEquals(pid, p.path("pid").asLong(), "process.pid: " + s);
    assertTrue(r.path("count").isIntegralNumber() && r.path("count").asLong() >= 1, "count: " + s);
  }

  @Test
  void everyRecordFieldIsPresentWithItsType() throws Exception {
    try (TcpServer evil = TcpServer.start("127.0.0.3");
        UdpReceiver udp = UdpReceiver.start("127.0.0.3")) {
      Path policy = Policies.write(dir, "policy.json", Policies.standardSet());
      AgentJvm.Result run =
          AgentJvm.standard(dir, policy)
              .probe(
                  "socket:127.0.0.3:" + evil.port(),
                  "lookup:" + Hosts.EVIL,
                  "udp-send:127.0.0.3:" + udp.port())
              .run();
      List<JsonNode> ip = requireFor(run, "127.0.0.3");
      JsonNode tcp =
          ip.stream()
              .filter(r -> r.path("protocol").asText().equals("TCP"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no TCP record\n" + run.describe()));
      JsonNode udpRec =
          ip.stream()
              .filter(r -> r.path("protocol").asText().equals("UDP"))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no UDP record\n" + run.describe()));
      commonFields(tcp, run.pid, evil.port(), "TCP");
      commonFields(udpRec, run.pid, udp.port(), "UDP");
      for (JsonNode r : List.of(tcp, udpRec)) {
        assertEquals("IP", r.path("destination_type").asText(), r.toString());
        assertEquals("127.0.0.3", r.path("ip_event").path("ip_address").asText(), r.toString());
      }
      JsonNode dns = requireFor(run, Hosts.EVIL).get(0);
      commonFields(dns, run.pid, 0, "DNS");
      assertEquals("DNS", dns.path("destination_type").asText(), dns.toString());
      assertEquals(Hosts.EVIL, dns.path("dns_event").path("domain_name").asText(), dns.toString());
      assertEquals(3, dns.path("dns_event").path("rcode").asInt(), dns.toString());
      assertTrue(dns.path("dns_event").path("rcode").isIntegralNumber(), dns.toString());
    }
  }

  @Test
  void aStormOfDenialsIsCountedExactlyWithoutHarmingTheApplication() throws Exception {
    int threads = 8;
    int each = 12_500;
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      Path policy = Policies.write(dir, "policy.json", Policies.standardSet());
      AgentJvm.Result run =
          AgentJvm.standard(dir, policy)
              .jvmOption("-Xmx128m")
              .timeoutSeconds(150)
              .main(
                  "dev.egress.testapps.Storm",
                  String.valueOf(threads),
                  String.valueOf(each),
                  "127.0.0.3",
                  String.valueOf(evil.port()))
              .run();
      assertEquals(0, run.exitCode, run.describe());
      String storm =
          run.stdout.stream()
              .filter(l -> l.startsWith("STORM "))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no STORM line\n" + run.describe()));
      assertTrue(
          storm.contains(" denied=" + threads * each + " ")
              && storm.contains(" ok=0 ")
              && storm.contains(" other=0 "),
          storm + "\n" + run.describe());
      assertFalse(run.stderr.contains("OutOfMemoryError"), run.describe());
      assertEquals(0, evil.accepted());
      Matcher heap = Pattern.compile("heapUsedAfterGc=(\\d+)").matcher(storm);
      assertTrue(heap.find(), storm);
      System.out.println("[storm] " + storm + " (child ran " + run.elapsedMs + " ms)");
      List<JsonNode> all = run.records(); // every line must parse
      assertEquals(
          (long) threads * each,
          Records.countSum(requireFor(run, "127.0.0.3")),
          "sum of count over " + all.size() + " records");
      assertEquals(
          all.size(),
          requireFor(run, "127.0.0.3").size(),
          "only the storm destination is reported");
    }
  }
}
