package dev.egress.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-line tools on files generated here, through {@link Main}, as a user runs them. */
class CliTest {
  @TempDir Path dir;

  Path policy;
  Path log;

  /** What one run printed. */
  record Run(int code, String out, String err) {}

  static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    return new Run(code, out.toString(), err.toString());
  }

  static ObjectNode record(long ws, String host, String access, String reason, int count) {
    ObjectNode r = TestRecords.dns(ws, host, "2025-01-31T10:00:00.000Z");
    r.put("access_type", access);
    r.put("reason", reason);
    r.put("count", count);
    return r;
  }

  @BeforeEach
  void files() throws Exception {
    policy = Files.writeString(dir.resolve("account.json"), Policies.account(1234, true));
    List<ObjectNode> records = new ArrayList<>();
    records.add(record(1234, "a.cdn.example.com", "DRY_RUN_DENIAL", "not-allowed", 5));
    records.add(record(1234, "b.cdn.example.com", "DRY_RUN_DENIAL", "not-allowed", 1));
    records.add(record(1234, "c.cdn.example.com", "DRY_RUN_DENIAL", "not-allowed", 1));
    records.add(record(1234, "pypi.org", "DROP", "not-allowed", 20));
    records.add(
        record(1234, "gist.githubusercontent.com", "DRY_RUN_DENIAL", "blocked-destination", 2));
    records.add(record(5678, "evil.example.net", "DROP", "not-allowed", 3));
    records.add(
        TestRecords.storage(1234, "lakeraw.dfs.core.windows.net", "2025-01-31T11:00:00.000Z"));
    log =
        Files.writeString(
            dir.resolve("violations.log"), TestRecords.ndjson(records) + "not json\n");
  }

  @Test
  void validatePrintsPositions() throws Exception {
    Run ok = run("validate", policy.toString());
    assertEquals(0, ok.code(), ok.err());
    assertTrue(
        ok.out().contains("account.json: OK (policy set, 2 network policies, 1 workspaces)"),
        ok.out());

    Path bad = Files.writeString(dir.resolve("bad.json"), Policies.invalid(1234));
    Run r = run("validate", policy.toString(), bad.toString());
    assertEquals(1, r.code());
    assertTrue(
        r.err()
            .contains(
                bad
                    + ":6:29: at $.network_policies[0].egress.network_access.restriction_mode:"
                    + " unknown value \"RESTRICTED_ACESS\""),
        r.err());

    Path unbound =
        Files.writeString(
            dir.resolve("unbound.json"),
            Policies.account(1234, false)
                .replace(
                    "\"network_policy_id\": \"restricted\" }",
                    "\"network_policy_id\": \"nope\" }"));
    Run u = run("validate", unbound.toString());
    assertEquals(1, u.code());
    assertTrue(u.err().contains("unknown network policy \"nope\""), u.err());
  }

  @Test
  void explainUsesTheEngine() {
    Run allowed =
        run(
            "explain",
            "--policy",
            policy.toString(),
            "--workspace",
            "1234",
            "--host",
            "pypi.org",
            "--port",
            "443",
            "--as",
            "user");
    assertEquals(0, allowed.code(), allowed.err());
    assertTrue(allowed.out().contains("decision:    ALLOW"), allowed.out());
    assertTrue(
        allowed
            .out()
            .contains("policy:      restricted (workspace 1234, RESTRICTED_ACCESS, enforced)"),
        allowed.out());

    Run denied =
        run(
            "explain",
            "--policy",
            policy.toString(),
            "--workspace",
            "1234",
            "--host",
            "evil.com",
            "--port",
            "443",
            "--as",
            "user");
    assertTrue(denied.out().contains("decision:    DROP"), denied.out());
    assertTrue(denied.out().contains("reason:      not-allowed"), denied.out());
    assertTrue(
        denied.out().contains("explanation: ") && denied.out().contains("evil.com"), denied.out());

    Run blocked =
        run(
            "explain",
            "--policy",
            policy.toString(),
            "--workspace",
            "1234",
            "--host",
            "gist.githubusercontent.com",
            "--as",
            "platform");
    assertTrue(blocked.out().contains("reason:      blocked-destination"), blocked.out());

    Run unbound =
        run("explain", "--policy", policy.toString(), "--workspace", "42", "--host", "evil.com");
    assertTrue(unbound.out().contains("default-policy (workspace 42, FULL_ACCESS"), unbound.out());
    assertTrue(unbound.out().contains("decision:    ALLOW"), unbound.out());

    Run metadata =
        run(
            "explain",
            "--policy",
            policy.toString(),
            "--workspace",
            "42",
            "--host",
            "169.254.169.254",
            "--port",
            "80",
            "--as",
            "user");
    assertTrue(metadata.out().contains("reason:      metadata-endpoint"), metadata.out());
  }

  @Test
  void suggestListsDryRunNamesAndWildcardsOnlyWhenAsked() throws Exception {
    Run exact = run("suggest", "--log", log.toString());
    assertEquals(0, exact.code(), exact.err());
    JsonNode e = TestRecords.JSON.readTree(exact.out()).get("allowed_internet_destinations");
    List<String> names = new ArrayList<>();
    e.forEach(n -> names.add(n.get("destination").asText()));
    // DROP records (pypi.org, evil.example.net) are not dry-run; a blocked destination is never
    // suggested;
    // direct storage access needs the exact storage host.
    assertEquals(
        List.of(
            "a.cdn.example.com",
            "b.cdn.example.com",
            "c.cdn.example.com",
            "lakeraw.dfs.core.windows.net"),
        names);
    assertEquals("DNS_NAME", e.get(0).get("internet_destination_type").asText());
    assertTrue(exact.err().contains("blocked-destination gist.githubusercontent.com"), exact.err());
    assertTrue(exact.err().contains("violations.log:8: skipped"), exact.err());

    Run wild = run("suggest", "--log", log.toString(), "--wildcard-min", "3");
    JsonNode w = TestRecords.JSON.readTree(wild.out()).get("allowed_internet_destinations");
    assertEquals("*.cdn.example.com", w.get(0).get("destination").asText());
    assertEquals("lakeraw.dfs.core.windows.net", w.get(1).get("destination").asText());
    assertEquals(2, w.size());

    Run drops = run("suggest", "--log", log.toString(), "--include-drops", "--workspace", "1234");
    assertTrue(drops.out().contains("\"pypi.org\""), drops.out());
    assertFalse(drops.out().contains("evil.example.net"), drops.out());
  }

  @Test
  void impactComparesTodayWithTheCandidate() throws Exception {
    // The candidate: workspace 1234 allows pypi.org (blocked today) and enforces (the cdn names
    // flow today).
    Run r = run("impact", "--policy", policy.toString(), "--log", log.toString());
    assertEquals(0, r.code(), r.err());
    String out = r.out();
    assertTrue(
        out.contains("newly blocked by the candidate (flows today): 5 destinations, 10 violations"),
        out);
    assertTrue(
        out.contains(
            "workspace 1234  a.cdn.example.com:443  (5)  now: DRY_RUN_DENIAL not-allowed"
                + "  candidate: DROP not-allowed"),
        out);
    assertTrue(out.contains("workspace 1234  gist.githubusercontent.com:443  (2)"), out);
    assertTrue(
        out.contains(
            "newly allowed by the candidate (blocked today): 2 destinations, 23 violations"),
        out);
    assertTrue(
        out.contains("workspace 1234  pypi.org:443  (20)  now: DROP not-allowed  candidate: ALLOW"),
        out);
    // Workspace 5678 is unbound: the candidate's default-policy is FULL_ACCESS.
    assertTrue(out.contains("workspace 5678  evil.example.net:443  (3)"), out);
  }

  @Test
  void summarizeALog() {
    Run r = run("summarize", "--log", log.toString(), "--top", "3");
    assertEquals(0, r.code(), r.err());
    String out = r.out();
    assertTrue(out.startsWith("33 violations in 7 records"), out);
    assertTrue(
        out.contains(
            "top destinations:\n          20  pypi.org\n           5  a.cdn.example.com\n"
                + "           3  evil.example.net\n"),
        out);
    assertTrue(out.contains("top workspaces:\n          30  1234\n           3  5678\n"), out);
    assertTrue(out.contains("top callers:\n          33  com.example.Job.fetch\n"), out);
  }

  @Test
  void summarizeAndTailTheCollector() throws Exception {
    try (CollectorFixture c = new CollectorFixture(dir.resolve("collector"))) {
      List<String> lines = Files.readAllLines(log);
      String body = String.join("\n", lines.subList(0, 7)) + "\n";
      assertEquals(200, c.post(CollectorFixture.ADMIN, body).statusCode());
      String url = "http://127.0.0.1:" + c.server.port();

      Run s =
          run("summarize", "--collector", url, "--token", CollectorFixture.WS1234, "--top", "2");
      assertEquals(0, s.code(), s.err());
      assertTrue(
          s.out()
              .contains(
                  "top destinations:\n          20  pypi.org\n           5  a.cdn.example.com\n"),
          s.out());
      assertFalse(s.out().contains("evil.example.net"), "workspace 5678 is not this token's");

      Run t =
          run(
              "tail",
              "--collector",
              url,
              "--token",
              CollectorFixture.ADMIN,
              "--destination",
              "*.cdn.example.com");
      assertEquals(0, t.code(), t.err());
      String[] out = t.out().split("\n");
      assertEquals(3, out.length, t.out());
      assertTrue(
          out[0].startsWith("2025-01-31T10:00:00.000Z  ws=1234  DRY-RUN  not-allowed  "), out[0]);
      assertTrue(
          out[0].contains(".cdn.example.com:443/DNS  caller=com.example.Job.fetch:42 (user code)"),
          out[0]);

      Run bad = run("tail", "--collector", url, "--token", "wrong-token-wrong-token");
      assertEquals(1, bad.code());
      assertTrue(bad.err().contains("HTTP 401"), bad.err());
    }
  }

  @Test
  void tailFollowsALogThroughRotation() throws Exception {
    Path live =
        Files.writeString(
            dir.resolve("live.log"),
            record(1234, "first.example.com", "DROP", "not-allowed", 1) + "\n");
    StringWriter out = new StringWriter();
    Thread t =
        new Thread(
            () ->
                Main.run(
                    new PrintWriter(out, true),
                    new PrintWriter(new StringWriter(), true),
                    "tail",
                    "--log",
                    live.toString(),
                    "--follow",
                    "--poll-millis",
                    "50"));
    t.start();
    try {
      PolicyEndpointTest.await(() -> out.toString().contains("first.example.com"));
      // A line written in two parts is printed once it is whole.
      String second = record(1234, "second.example.com", "DROP", "not-allowed", 1).toString();
      Files.writeString(live, second.substring(0, 40), java.nio.file.StandardOpenOption.APPEND);
      Thread.sleep(200);
      Files.writeString(live, second.substring(40) + "\n", java.nio.file.StandardOpenOption.APPEND);
      PolicyEndpointTest.await(() -> out.toString().contains("second.example.com"));
      // Rotated: the file starts again, shorter.
      Files.writeString(live, record(1234, "third.example.com", "DROP", "not-allowed", 1) + "\n");
      PolicyEndpointTest.await(() -> out.toString().contains("third.example.com"));
    } finally {
      t.interrupt();
      t.join(5000);
    }
    assertEquals(3, out.toString().split("\n").length, out.toString());
  }

  @Test
  void tailALogWithFilters() {
    Run r = run("tail", "--log", log.toString(), "--workspace", "1234", "--reason", "not-allowed");
    assertEquals(0, r.code(), r.err());
    String[] out = r.out().split("\n");
    assertEquals(4, out.length, r.out());
    assertTrue(
        out[3].contains("DROP     not-allowed  pypi.org:443/DNS") && out[3].endsWith("x20"),
        out[3]);

    Run since = run("tail", "--log", log.toString(), "--since", "2025-01-31T10:30:00Z", "--json");
    String[] json = since.out().split("\n");
    assertEquals(1, json.length, since.out());
    assertTrue(json[0].contains("\"destination_type\":\"STORAGE\""), json[0]);
  }
}
