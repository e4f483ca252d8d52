package dev.egress.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.egress.collector.record.EventTimes;
import dev.egress.collector.record.RecordFormatException;
import dev.egress.collector.record.RecordReader;
import dev.egress.collector.record.ViolationRow;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RecordReaderTest {
  @Test
  void timestampsAreNormalisedToUtcMilliseconds() throws Exception {
    ObjectNode r = TestRecords.dns(1, "a.example.com", "2025-01-31T12:00:00.5+02:00");
    r.put("event_id", "0B6A3C1E-4F1E-4C55-9F1A-0D2B7F0E9A11");
    r.remove("count");
    ViolationRow row = RecordReader.read(r.toString());
    assertEquals("2025-01-31T10:00:00.500Z", row.eventTime());
    assertEquals(Instant.parse("2025-01-31T10:00:00.500Z").toEpochMilli(), row.eventTimeMs());
    assertEquals(
        "0b6a3c1e-4f1e-4c55-9f1a-0d2b7f0e9a11", row.eventId(), "one id, whatever its case");
    assertEquals(1, row.count(), "a record without count stands for one violation");
  }

  @Test
  void theHandParsedFormAgreesWithTheJdk() {
    for (String t :
        new String[] {
          "1970-01-01T00:00:00.000Z", "2024-02-29T23:59:59.999Z", "2025-12-31T00:00:01.010Z"
        }) {
      assertEquals(Instant.parse(t).toEpochMilli(), EventTimes.parseMillis(t), t);
    }
    assertEquals(Long.MIN_VALUE, EventTimes.parseMillis("2025-02-30T00:00:00.000Z"));
    assertEquals(Long.MIN_VALUE, EventTimes.parseMillis("2025-01-01T24:00:00.000Z"));
    assertEquals(Long.MIN_VALUE, EventTimes.parseMillis("2025-01-01 00:00:00"));
  }

  @Test
  void errorsNameTheField() {
    ObjectNode r = TestRecords.dns(1, "a.example.com", "2025-01-31T10:00:00.000Z");
    r.putObject("caller").put("user_code", "yes");
    RecordFormatException e =
        assertThrows(RecordFormatException.class, () -> RecordReader.read(r.toString()));
    assertEquals(
        "field \"caller.user_code\": expected true, false or null, got a string", e.getMessage());

    String dup = "{\"reason\": \"not-allowed\", \"reason\": \"blocked-destination\"}";
    e = assertThrows(RecordFormatException.class, () -> RecordReader.read(dup));
    assertEquals("field \"reason\" appears twice", e.getMessage());

    String two = TestRecords.dns(1, "a.example.com", "2025-01-31T10:00:00.000Z") + " {}";
    e = assertThrows(RecordFormatException.class, () -> RecordReader.read(two));
    assertEquals("more than one JSON value on the line", e.getMessage());

    ObjectNode port = TestRecords.dns(1, "a.example.com", "2025-01-31T10:00:00.000Z");
    port.put("port", 70000);
    e = assertThrows(RecordFormatException.class, () -> RecordReader.read(port.toString()));
    assertEquals("field \"port\": 70000 is out of range (0..65535)", e.getMessage());
  }

  @Test
  void unknownFieldsOfANewerAgentAreIgnored() throws Exception {
    ObjectNode r = TestRecords.dns(1, "a.example.com", "2025-01-31T10:00:00.000Z");
    r.putObject("future_field").putArray("x").add(1);
    assertEquals("a.example.com", RecordReader.read(r.toString()).destination());
  }
}
