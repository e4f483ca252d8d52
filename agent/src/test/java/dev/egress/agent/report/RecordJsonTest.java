package dev.egress.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RecordJsonTest {
  static final List<String> SPEC_ORDER =
      List.of(
          "event_id",
          "event_time",
          "account_id",
          "workspace_id",
          "network_policy_id",
          "destination_type",
          "destination",
          "dns_event",
          "ip_event",
          "storage_event",
          "access_type",
          "network_source_type",
          "port",
          "protocol",
          "reason",
          "caller",
          "process",
          "count");

  @Test
  void fieldsInSpecOrderWithValues() throws IOException {
    Map<String, Object> m = Records.parse(RecordJson.toJson(Records.dns("evil.example.net")));
    assertEquals(SPEC_ORDER, List.copyOf(m.keySet()));
    assertEquals("2026-12-04T20:00:00.123Z", m.get("event_time"));
    UUID.fromString((String) m.get("event_id"));
    assertEquals(1234L, m.get("workspace_id"));
    assertEquals(Map.of("domain_name", "evil.example.net", "rcode", 3L), m.get("dns_event"));
    assertNull(m.get("ip_event"));
    assertNull(m.get("storage_event"));
    assertEquals(443L, m.get("port"));
    assertEquals("DROP", m.get("access_type"));
    @SuppressWarnings("unchecked")
    Map<String, Object> caller = (Map<String, Object>) m.get("caller");
    assertEquals(
        List.of("class", "method", "line", "code_source", "user_code"),
        List.copyOf(caller.keySet()));
    assertEquals(7L, caller.get("line"));
    assertEquals(true, caller.get("user_code"));
    @SuppressWarnings("unchecked")
    Map<String, Object> process = (Map<String, Object>) m.get("process");
    assertEquals(
        List.of("pid", "host", "jvm_role", "spark_app_id", "spark_executor_id"),
        List.copyOf(process.keySet()));
    assertNull(process.get("spark_executor_id"));
    assertEquals(1L, m.get("count"));
  }

  @Test
  void emptyRecordHasStableSchemaOfNulls() throws IOException {
    Map<String, Object> m = Records.parse(RecordJson.toJson(ViolationRecord.builder().build()));
    assertEquals(SPEC_ORDER, List.copyOf(m.keySet()));
    assertNotNull(m.get("event_id"));
    assertNotNull(m.get("event_time"));
    for (String k : SPEC_ORDER.subList(2, 17)) {
      assertNull(m.get(k), k);
    }
  }

  @Test
  void onlyTheEventMatchingTheDestinationTypeIsWritten() throws IOException {
    ViolationRecord.Builder b =
        ViolationRecord.builder()
            .dnsEvent("a", 3)
            .ipEvent("10.0.0.1")
            .storageEvent("h", "/p", "direct");
    Map<String, Object> ip = Records.parse(RecordJson.toJson(b.destinationType("IP").build()));
    assertNull(ip.get("dns_event"));
    assertEquals(Map.of("ip_address", "10.0.0.1"), ip.get("ip_event"));
    assertNull(ip.get("storage_event"));
    Map<String, Object> st = Records.parse(RecordJson.toJson(b.destinationType("STORAGE").build()));
    assertNull(st.get("dns_event"));
    assertNull(st.get("ip_event"));
    assertEquals(
        List.of("hostname", "path", "rejection_reason"),
        List.copyOf(((Map<?, ?>) st.get("storage_event")).keySet()));
    Map<String, Object> none = Records.parse(RecordJson.toJson(b.destinationType("OTHER").build()));
    assertNull(none.get("dns_event"));
  }

  @Test
  void eventTimeAlwaysHasExactlyMilliseconds() throws IOException {
    assertEquals("2026-12-04T20:00:00.000Z", time(Instant.parse("2026-12-04T20:00:00Z")));
    assertEquals("2026-12-04T20:00:00.123Z", time(Instant.parse("2026-12-04T20:00:00.123987654Z")));
    assertEquals("1970-01-01T00:00:00.001Z", time(Instant.ofEpochMilli(1)));
  }

  private static String time(Instant t) throws IOException {
    return (String)
        Records.parse(RecordJson.toJson(ViolationRecord.builder().eventTime(t).build()))
            .get("event_time");
  }

  @Test
  void unknownLineIsNull() throws IOException {
    ViolationRecord r =
        ViolationRecord.builder().caller(new Caller("C", "m", -1, null, false)).build();
    Map<?, ?> caller = (Map<?, ?>) Records.parse(RecordJson.toJson(r)).get("caller");
    assertNull(caller.get("line"));
    assertNull(caller.get("code_source"));
  }

  @Test
  void hostileStringsStayOnOneValidLine() throws IOException {
    String longName = "a".repeat(300);
    List<String> hostile =
        List.of(
            "\"quoted\" \\ backslash",
            "line1\nline2\r\nline3",
            "ctrl\u0000\u0001\u001b[31m\u007f",
            "sep\u2028\u2029\u0085",
            "unicode ü 日本 😀",
            "lone \ud800 surrogate \udc00",
            "</script><!--",
            longName,
            longName + ".example.com");
    for (String s : hostile) {
      ViolationRecord r =
          ViolationRecord.builder()
              .destinationType("STORAGE")
              .destination(s)
              .storageEvent(s, s, s)
              .reason(s)
              .caller(new Caller(s, s, 1, s, true))
              .process(new ProcessInfo(1L, s, s, s, s))
              .build();
      String line = RecordJson.toJson(r);
      assertFalse(line.contains("\n") || line.contains("\r"), line);
      assertFalse(
          line.contains("\u2028") || line.contains("\u2029") || line.contains("\u0085"), line);
      for (char c : line.toCharArray()) {
        assertTrue(c >= 0x20, "raw control char in " + line);
      }
      // Through UTF-8 (as in the file) and back, and parsed: the value survives.
      String decoded = new String(line.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
      Map<String, Object> m = Records.parse(decoded);
      assertEquals(s, m.get("destination"));
      assertEquals(s, ((Map<?, ?>) m.get("caller")).get("class"));
      assertEquals(s, ((Map<?, ?>) m.get("storage_event")).get("path"));
    }
  }

  @Test
  void overlongStringsAreCapped() throws IOException {
    String huge = "x".repeat(100_000);
    ViolationRecord r = ViolationRecord.builder().destination(huge).dnsEvent(huge, 3).build();
    assertEquals(Text.MAX_CHARS, r.destination().length());
    assertTrue(r.destination().endsWith(Text.TRUNCATED));
    assertEquals(Text.MAX_CHARS, r.dnsEvent().domainName().length());
    // A surrogate pair straddling the cut is not split.
    String emoji = "y".repeat(Text.MAX_CHARS - Text.TRUNCATED.length() - 1) + "😀".repeat(10);
    String capped = Text.cap(emoji);
    assertFalse(
        Character.isHighSurrogate(capped.charAt(capped.length() - Text.TRUNCATED.length() - 1)));
    assertEquals("short", Text.cap("short"));
    assertNull(Text.cap(null));
    Records.parse(RecordJson.toJson(r));
  }

  @Test
  void builderRoundTripsAndValidatesCount() {
    ViolationRecord r = Records.dns("a.example");
    ViolationRecord r5 = r.withCount(5);
    assertEquals(5, r5.count());
    assertEquals(r.eventId(), r5.eventId());
    assertEquals(r.eventTime(), r5.eventTime());
    assertEquals(RecordJson.toJson(r).replace("\"count\":1", "\"count\":5"), RecordJson.toJson(r5));
    assertTrue(r == r.withCount(1));
    assertThrows(IllegalArgumentException.class, () -> ViolationRecord.builder().count(0));
    assertEquals(RecordJson.toJson(r), r.toString());
  }
}
