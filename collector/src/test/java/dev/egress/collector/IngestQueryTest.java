package dev.egress.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngestQueryTest {
  @TempDir Path dir;

  CollectorFixture c;

  @BeforeEach
  void start() throws Exception {
    c = new CollectorFixture(dir);
  }

  @AfterEach
  void stop() {
    c.close();
  }

  @Test
  void everyFieldRoundTripsThroughTheDatabase() throws Exception {
    List<ObjectNode> sent =
        List.of(
            TestRecords.dns(1234, "evil.example.com", "2025-01-31T10:00:00.001Z"),
            TestRecords.ip(1234, "203.0.113.9", "2025-01-31T10:00:00.002Z"),
            TestRecords.storage(1234, "lakeraw.dfs.core.windows.net", "2025-01-31T10:00:00.003Z"));
    HttpResponse<String> r = c.post(CollectorFixture.WS1234, TestRecords.ndjson(sent));
    assertEquals(200, r.statusCode(), r.body());
    assertEquals("{\"accepted\":3,\"duplicates\":0}", r.body().replace(" ", ""));

    HttpResponse<String> q = c.get(CollectorFixture.WS1234, "/v1/violations?workspace_id=1234");
    assertEquals(200, q.statusCode(), q.body());
    JsonNode got = TestRecords.JSON.readTree(q.body());
    assertEquals(3, got.size());
    for (int i = 0; i < 3; i++) {
      ObjectNode g = (ObjectNode) got.get(i);
      assertNotNull(g.remove("received_at"));
      // Same fields, same values, in the same (SPEC) order.
      assertEquals(sent.get(i).toString(), g.toString(), "record " + i);
    }

    // The table has SPEC section 6's columns, flattened, and WAL is on.
    try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + c.db);
        Statement s = db.createStatement()) {
      try (ResultSet rs =
          s.executeQuery(
              "SELECT storage_event_hostname, storage_event_path,"
                  + " storage_event_rejection_reason, caller_class, caller_line, caller_user_code, process_pid,"
                  + " process_spark_executor_id, event_time, event_time_ms, count, received_at"
                  + " FROM outbound_network WHERE destination_type = 'STORAGE'")) {
        assertTrue(rs.next());
        assertEquals("lakeraw.dfs.core.windows.net", rs.getString(1));
        assertEquals("/data/x/part-0001.parquet", rs.getString(2));
        assertEquals("direct-storage-access", rs.getString(3));
        assertEquals("com.example.Job", rs.getString(4));
        assertEquals(42, rs.getInt(5));
        assertEquals(1, rs.getInt(6));
        assertEquals(4242, rs.getLong(7));
        assertEquals("7", rs.getString(8));
        assertEquals("2025-01-31T10:00:00.003Z", rs.getString(9));
        assertEquals(1738317600003L, rs.getLong(10));
        assertEquals(1, rs.getLong(11));
        assertTrue(rs.getLong(12) > 1738317600003L);
      }
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode")) {
        assertEquals("wal", rs.getString(1));
      }
    }
  }

  @Test
  void gzipBodiesAreAccepted() throws Exception {
    List<ObjectNode> sent = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      sent.add(TestRecords.dns(1234, "h" + i + ".example.com", "2025-01-31T10:00:00.000Z"));
    }
    HttpResponse<String> r =
        c.post(
            CollectorFixture.WS1234,
            TestRecords.ndjson(sent).getBytes(StandardCharsets.UTF_8),
            true);
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(500, TestRecords.JSON.readTree(r.body()).get("accepted").asInt());
    assertEquals(500, c.rows());
  }

  @Test
  void aResentBatchIsNotStoredTwice() throws Exception {
    List<ObjectNode> batch =
        List.of(
            TestRecords.dns(1234, "a.example.com", "2025-01-31T10:00:00.000Z"),
            TestRecords.dns(1234, "b.example.com", "2025-01-31T10:00:00.000Z"));
    assertEquals(200, c.post(CollectorFixture.WS1234, TestRecords.ndjson(batch)).statusCode());
    // The agent timed out and re-sends, with one new record added.
    List<ObjectNode> again = new ArrayList<>(batch);
    again.add(TestRecords.dns(1234, "c.example.com", "2025-01-31T10:00:00.000Z"));
    HttpResponse<String> r = c.post(CollectorFixture.WS1234, TestRecords.ndjson(again));
    assertEquals(200, r.statusCode());
    JsonNode body = TestRecords.JSON.readTree(r.body());
    assertEquals(1, body.get("accepted").asInt());
    assertEquals(2, body.get("duplicates").asInt());
    assertEquals(3, c.rows());
  }

  @Test
  void pagesAreStableAndFiltersApply() throws Exception {
    List<ObjectNode> sent = new ArrayList<>();
    for (int i = 0; i < 25; i++) {
      // Several records share a millisecond: the event_id breaks the tie.
      sent.add(
          TestRecords.dns(
              1234,
              (i % 2 == 0 ? "x" : "y") + i + ".example.com",
              String.format("2025-01-31T10:00:%02d.000Z", i / 3)));
    }
    sent.add(TestRecords.ip(1234, "203.0.113.1", "2025-02-01T00:00:00.000Z"));
    assertEquals(200, c.post(CollectorFixture.ADMIN, TestRecords.ndjson(sent)).statusCode());

    Set<String> ids = new HashSet<>();
    String token = null;
    int pages = 0;
    do {
      HttpResponse<String> r =
          c.get(
              CollectorFixture.WS1234,
              "/v1/violations?format=ndjson&limit=7"
                  + "&to=2025-02-01T00:00:00Z"
                  + (token == null ? "" : "&page_token=" + token));
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.headers().firstValue("Content-Type").orElse("").contains("ndjson"));
      for (String line : r.body().split("\n")) {
        assertTrue(ids.add(TestRecords.JSON.readTree(line).get("event_id").asText()), "no repeats");
      }
      // A record inserted meanwhile does not shift pages.
      c.post(
          CollectorFixture.WS1234,
          TestRecords.ndjson(
              List.of(TestRecords.dns(1234, "late.example.com", "2025-01-31T09:00:00.000Z"))));
      token = r.headers().firstValue("Next-Page-Token").orElse(null);
      pages++;
    } while (token != null);
    assertEquals(25, ids.size());
    assertEquals(4, pages);

    HttpResponse<String> one =
        c.get(
            CollectorFixture.WS1234,
            "/v1/violations?destination=*.example.com&access_type=DROP&reason=not-allowed&from=2025-01-31T10:00:06Z");
    assertEquals(25 - 18, TestRecords.JSON.readTree(one.body()).size());
    HttpResponse<String> exact =
        c.get(CollectorFixture.WS1234, "/v1/violations?destination=203.0.113.1");
    assertEquals(1, TestRecords.JSON.readTree(exact.body()).size());
  }

  @Test
  void summariesSumCount() throws Exception {
    ObjectNode folded = TestRecords.dns(1234, "pypi.org", "2025-01-31T10:00:00.000Z");
    folded.put("count", 40);
    List<ObjectNode> sent =
        List.of(
            folded,
            TestRecords.dns(1234, "pypi.org", "2025-01-31T11:00:00.000Z"),
            TestRecords.dns(5678, "github.com", "2025-02-01T10:00:00.000Z"),
            TestRecords.dns(5678, "github.com", "2025-02-01T10:00:00.000Z"));
    assertEquals(200, c.post(CollectorFixture.ADMIN, TestRecords.ndjson(sent)).statusCode());

    JsonNode byDest =
        TestRecords.JSON.readTree(
            c.get(CollectorFixture.ADMIN, "/v1/summary?by=destination").body());
    assertEquals("pypi.org", byDest.get("groups").get(0).get("key").asText());
    assertEquals(41, byDest.get("groups").get(0).get("count").asLong());
    assertEquals(2, byDest.get("groups").get(0).get("records").asLong());
    JsonNode byDay =
        TestRecords.JSON.readTree(c.get(CollectorFixture.ADMIN, "/v1/summary?by=day").body());
    assertEquals("2025-01-31", byDay.get("groups").get(0).get("key").asText());
    assertEquals("2025-02-01", byDay.get("groups").get(1).get("key").asText());
    JsonNode byWs =
        TestRecords.JSON.readTree(c.get(CollectorFixture.ADMIN, "/v1/summary?by=workspace").body());
    assertEquals("1234", byWs.get("groups").get(0).get("key").asText());
    JsonNode byCaller =
        TestRecords.JSON.readTree(
            c.get(CollectorFixture.ADMIN, "/v1/summary?by=caller&workspace_id=5678").body());
    assertEquals("com.example.Job.fetch", byCaller.get("groups").get(0).get("key").asText());
    assertEquals(2, byCaller.get("groups").get(0).get("count").asLong());
    // A scoped token's summary covers only its workspaces.
    JsonNode scoped =
        TestRecords.JSON.readTree(
            c.get(CollectorFixture.WS5678, "/v1/summary?by=destination").body());
    assertEquals(1, scoped.get("groups").size());
    assertEquals("github.com", scoped.get("groups").get(0).get("key").asText());
  }

  @Test
  void healthz() throws Exception {
    HttpResponse<String> r = c.get(null, "/healthz");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("ok"));
    assertNull(r.headers().firstValue("Next-Page-Token").orElse(null));
    assertTrue(Files.exists(c.db));
  }
}
