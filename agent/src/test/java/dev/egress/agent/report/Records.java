package dev.egress.agent.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/** Test helpers: sample records, and a tiny JSON-to-map parser on jackson-core. */
final class Records {
  private static final JsonFactory FACTORY = new JsonFactory();

  private Records() {}

  static ViolationRecord dns(String name) {
    return ViolationRecord.builder()
        .eventTime(Instant.parse("2026-12-04T20:00:00.123Z"))
        .accountId("acct")
        .workspaceId(1234L)
        .networkPolicyId("restricted")
        .destinationType(ViolationRecord.DESTINATION_DNS)
        .destination(name)
        .dnsEvent(name, 3)
        .accessType(ViolationRecord.ACCESS_DROP)
        .networkSourceType("GENERAL_COMPUTE")
        .port(443)
        .protocol("TCP")
        .reason("not-allowed")
        .caller(new Caller("Cell1", "run", 7, "file:/tmp/repl", true))
        .process(new ProcessInfo(42L, "host1", "driver", "app-1", null))
        .build();
  }

  /** Parses one JSON object into nested maps; fails on trailing content. */
  static Map<String, Object> parse(String json) throws IOException {
    try (JsonParser p = FACTORY.createParser(json)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not an object: " + json);
      }
      Map<String, Object> m = object(p);
      if (p.nextToken() != null) {
        throw new IOException("trailing content: " + json);
      }
      return m;
    }
  }

  private static Map<String, Object> object(JsonParser p) throws IOException {
    Map<String, Object> m = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.currentName();
      JsonToken t = p.nextToken();
      switch (t) {
        case START_OBJECT:
          m.put(name, object(p));
          break;
        case VALUE_NULL:
          m.put(name, null);
          break;
        case VALUE_STRING:
          m.put(name, p.getText());
          break;
        case VALUE_NUMBER_INT:
          m.put(name, p.getLongValue());
          break;
        case VALUE_TRUE:
        case VALUE_FALSE:
          m.put(name, p.getBooleanValue());
          break;
        default:
          throw new IOException("unexpected " + t);
      }
    }
    return m;
  }
}
