package dev.egress.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal: its status, a JSON body that says why, and nothing of the batch stored. */
class IngestErrorsTest {
  @TempDir Path dir;

  CollectorFixture c;

  @BeforeEach
  void start() throws Exception {
    // Small limits so that the 413 tests stay small.
    c = new CollectorFixture(dir, cfg -> cfg.withLimits(64 * 1024, 256 * 1024, 100));
  }

  @AfterEach
  void stop() {
    c.close();
  }

  private static JsonNode json(HttpResponse<String> r) throws Exception {
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.body());
    return TestRecords.JSON.readTree(r.body());
  }

  private static String good() {
    return TestRecords.dns(1234, "a.example.com", "2025-01-31T10:00:00.000Z").toString();
  }

  @Test
  void aMalformedLineIsNamedAndNothingIsStored() throws Exception {
    String body = good() + "\n" + good() + "\n{\"event_id\": \"oops\"\n" + good() + "\n";
    HttpResponse<String> r = c.post(CollectorFixture.WS1234, body);
    assertEquals(400, r.statusCode());
    JsonNode e = json(r);
    assertEquals(3, e.get("line").asInt());
    assertTrue(e.get("message").asText().startsWith("line 3: invalid JSON"), e.toString());
    assertEquals(0, c.rows());
  }

  @Test
  void aWrongFieldIsNamed() throws Exception {
    ObjectNode bad = TestRecords.dns(1234, "a.example.com", "2025-01-31T10:00:00.000Z");
    bad.put("port", "443");
    HttpResponse<String> r = c.post(CollectorFixture.WS1234, good() + "\n" + bad + "\n");
    assertEquals(400, r.statusCode());
    JsonNode e = json(r);
    assertEquals(2, e.get("line").asInt());
    assertTrue(
        e.get("message")
            .asText()
            .contains("field \"port\": expected an integer or null, got a string"),
        e.toString());

    ObjectNode reason = TestRecords.dns(1234, "a.example.com", "2025-01-31T10:00:00.000Z");
    reason.put("reason", "because");
    e = json(c.post(CollectorFixture.WS1234, reason + "\n"));
    assertTrue(
        e.get("message").asText().contains("field \"reason\": \"because\" is not one of"),
        e.toString());

    ObjectNode time = TestRecords.dns(1234, "a.example.com", "yesterday");
    e = json(c.post(CollectorFixture.WS1234, time.toString()));
    assertTrue(e.get("message").asText().contains("field \"event_time\""), e.toString());

    ObjectNode noId = TestRecords.dns(1234, "a.example.com", "2025-01-31T10:00:00.000Z");
    noId.remove("event_id");
    e = json(c.post(CollectorFixture.WS1234, noId.toString()));
    assertTrue(e.get("message").asText().contains("field \"event_id\": required"), e.toString());
    assertEquals(0, c.rows());
  }

  @Test
  void gzipThatIsNotGzipIs400() throws Exception {
    HttpResponse<String> r =
        c.client.send(
            java.net.http.HttpRequest.newBuilder(c.uri("/v1/violations"))
                .header("Authorization", "Bearer " + CollectorFixture.WS1234)
                .header("Content-Encoding", "gzip")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(good()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(400, r.statusCode());
    assertTrue(json(r).get("message").asText().contains("not valid gzip"));
    assertEquals(0, c.rows());
  }

  @Test
  void noOrUnknownTokenIs401() throws Exception {
    HttpResponse<String> r = c.post(null, good());
    assertEquals(401, r.statusCode());
    assertTrue(json(r).get("message").asText().contains("no Authorization"));
    assertTrue(r.headers().firstValue("WWW-Authenticate").isPresent());
    r = c.post("not-a-token-at-all-xxxxxxxx", good());
    assertEquals(401, r.statusCode());
    assertEquals("unknown token", json(r).get("message").asText());
    assertEquals(401, c.get(null, "/v1/violations").statusCode());
    assertEquals(401, c.get(null, "/v1/policy?workspace_id=1234").statusCode());
    assertEquals(0, c.rows());
  }

  @Test
  void aTokenCannotWriteAnotherWorkspace() throws Exception {
    String other = TestRecords.dns(5678, "a.example.com", "2025-01-31T10:00:00.000Z").toString();
    HttpResponse<String> r = c.post(CollectorFixture.WS1234, good() + "\n" + other + "\n");
    assertEquals(403, r.statusCode());
    JsonNode e = json(r);
    assertEquals(2, e.get("record").asInt());
    assertTrue(e.get("message").asText().contains("workspace 5678"), e.toString());
    // A record without a workspace is an admin's to write.
    ObjectNode none = TestRecords.dns(1234, "a.example.com", "2025-01-31T10:00:00.000Z");
    none.putNull("workspace_id");
    assertEquals(403, c.post(CollectorFixture.WS1234, none.toString()).statusCode());
    assertEquals(0, c.rows());
    assertEquals(200, c.post(CollectorFixture.ADMIN, none.toString()).statusCode());
    assertEquals(200, c.post(CollectorFixture.WS5678, other).statusCode());
    assertEquals(2, c.rows());
  }

  @Test
  void aTokenCannotReadAnotherWorkspace() throws Exception {
    List<ObjectNode> records =
        List.of(
            TestRecords.dns(1234, "a.example.com", "2025-01-31T10:00:00.000Z"),
            TestRecords.dns(5678, "b.example.com", "2025-01-31T10:00:00.000Z"),
            TestRecords.dns(9999, "c.example.com", "2025-01-31T10:00:00.000Z"));
    assertEquals(200, c.post(CollectorFixture.ADMIN, TestRecords.ndjson(records)).statusCode());

    HttpResponse<String> r = c.get(CollectorFixture.WS1234, "/v1/violations?workspace_id=5678");
    assertEquals(403, r.statusCode());
    assertTrue(json(r).get("message").asText().contains("workspace 5678"));
    assertEquals(
        403,
        c.get(CollectorFixture.WS1234, "/v1/summary?by=destination&workspace_id=5678")
            .statusCode());
    // Without a workspace_id a scoped token still sees only its own workspaces.
    JsonNode mine = json(c.get(CollectorFixture.WS1234, "/v1/violations"));
    assertEquals(1, mine.size());
    assertEquals(1234, mine.get(0).get("workspace_id").asLong());
    assertEquals(2, json(c.get(CollectorFixture.WS5678, "/v1/violations")).size());
    assertEquals(3, json(c.get(CollectorFixture.ADMIN, "/v1/violations")).size());
  }

  @Test
  void tooLargeIs413() throws Exception {
    StringBuilder big = new StringBuilder();
    while (big.length() < 70 * 1024) {
      big.append(good()).append('\n');
    }
    HttpResponse<String> r = c.post(CollectorFixture.WS1234, big.toString());
    assertEquals(413, r.statusCode());
    assertTrue(json(r).get("message").asText().contains("limit is 65536 bytes"), r.body());

    // Small on the wire, too big once decompressed: a gzip bomb.
    byte[] zeros = new byte[1024 * 1024];
    HttpResponse<String> bomb = c.post(CollectorFixture.WS1234, zeros, true);
    assertEquals(413, bomb.statusCode());
    assertTrue(
        json(bomb).get("message").asText().contains("after gzip decompression"), bomb.body());

    List<ObjectNode> many = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      many.add(TestRecords.dns(1234, "a.example.com", "2025-01-31T10:00:00.000Z"));
    }
    byte[] body = TestRecords.ndjson(many).getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> tooMany = c.post(CollectorFixture.WS1234, body, true);
    assertEquals(413, tooMany.statusCode());
    assertTrue(
        json(tooMany).get("message").asText().contains("more than 100 records"), tooMany.body());
    assertEquals(0, c.rows());
    // And the service is still up.
    assertEquals(200, c.post(CollectorFixture.WS1234, good()).statusCode());
  }

  @Test
  void badQueryParametersAre400() throws Exception {
    assertEquals(400, c.get(CollectorFixture.ADMIN, "/v1/violations?from=yesterday").statusCode());
    assertEquals(400, c.get(CollectorFixture.ADMIN, "/v1/violations?limit=0").statusCode());
    assertEquals(
        400, c.get(CollectorFixture.ADMIN, "/v1/violations?page_token=garbage").statusCode());
    assertEquals(
        400, c.get(CollectorFixture.ADMIN, "/v1/violations?access_type=ALLOW").statusCode());
    assertEquals(400, c.get(CollectorFixture.ADMIN, "/v1/summary?by=color").statusCode());
    assertEquals(404, c.get(CollectorFixture.ADMIN, "/v2/nothing").statusCode());
  }
}
