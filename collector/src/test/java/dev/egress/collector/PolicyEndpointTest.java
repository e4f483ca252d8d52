package dev.egress.collector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyEndpointTest {
  @TempDir Path dir;

  CollectorFixture c;

  @BeforeEach
  void start() throws Exception {
    Files.createDirectories(dir.resolve("policies"));
    Files.writeString(dir.resolve("policies/account.json"), Policies.account(1234, true));
    Files.writeString(dir.resolve("policies/other.json"), Policies.account(5678, false));
    // A long periodic rescan: a change seen within the test's wait comes from the WatchService.
    c = new CollectorFixture(dir, cfg -> cfg.withRescanMillis(60_000));
  }

  @AfterEach
  void stop() {
    c.close();
  }

  @Test
  void servesTheBoundFileWithAnEtagAnd304() throws Exception {
    HttpResponse<String> r = c.get(CollectorFixture.WS1234, "/v1/policy?workspace_id=1234");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(Policies.account(1234, true), r.body(), "the file's bytes, as written");
    String etag = r.headers().firstValue("ETag").orElseThrow();
    assertTrue(etag.matches("\"[0-9a-f]{64}\""), etag);
    assertEquals("account.json", r.headers().firstValue("X-Egress-Policy-File").orElseThrow());
    assertEquals("no-cache", r.headers().firstValue("Cache-Control").orElseThrow());

    HttpResponse<String> again =
        c.get(CollectorFixture.WS1234, "/v1/workspaces/1234/policy", "If-None-Match", etag);
    assertEquals(304, again.statusCode());
    assertEquals("", again.body());
    assertEquals(etag, again.headers().firstValue("ETag").orElseThrow());
    assertEquals(
        200,
        c.get(CollectorFixture.WS1234, "/v1/policy?workspace_id=1234", "If-None-Match", "\"stale\"")
            .statusCode());

    HttpResponse<String> other = c.get(CollectorFixture.WS5678, "/v1/workspaces/5678/policy");
    assertEquals("other.json", other.headers().firstValue("X-Egress-Policy-File").orElseThrow());
    // Workspace 9999 is bound nowhere: the file with default-policy.
    HttpResponse<String> dflt = c.get(CollectorFixture.WS5678, "/v1/policy?workspace_id=9999");
    assertEquals("account.json", dflt.headers().firstValue("X-Egress-Policy-File").orElseThrow());
    // Scopes apply to policies too.
    assertEquals(403, c.get(CollectorFixture.WS1234, "/v1/policy?workspace_id=5678").statusCode());
  }

  @Test
  void noDefaultMeans404ForAnUnboundWorkspace() throws Exception {
    Files.delete(dir.resolve("policies/account.json"));
    await(() -> c.server.policies().snapshot().defaultPolicy() == null);
    HttpResponse<String> r = c.get(CollectorFixture.ADMIN, "/v1/policy?workspace_id=4321");
    assertEquals(404, r.statusCode());
    assertTrue(r.body().contains("no policy file binds workspace 4321"), r.body());
  }

  @Test
  void anEditIsPickedUpWithoutRestart() throws Exception {
    String before =
        c.get(CollectorFixture.WS1234, "/v1/policy?workspace_id=1234")
            .headers()
            .firstValue("ETag")
            .orElseThrow();
    String edited = Policies.account(1234, true).replace("pypi.org", "files.pythonhosted.org");
    write(dir.resolve("policies/account.json"), edited);
    await(() -> body(1234).contains("files.pythonhosted.org"));
    HttpResponse<String> r =
        c.get(CollectorFixture.WS1234, "/v1/policy?workspace_id=1234", "If-None-Match", before);
    assertEquals(200, r.statusCode(), "a new version is not 304 for the old ETag");
    assertNotEquals(before, r.headers().firstValue("ETag").orElseThrow());
  }

  @Test
  void anInvalidEditIsRefusedAndTheLastValidVersionStays() throws Exception {
    String valid = body(1234);
    write(dir.resolve("policies/account.json"), Policies.invalid(1234));
    await(() -> status().toString().contains("RESTRICTED_ACESS"));
    assertEquals(valid, body(1234), "the last valid version is still served");

    JsonNode files = status().get("files");
    JsonNode account = files.get(0);
    assertEquals("account.json", account.get("file").asText());
    assertFalse(account.get("valid").asBoolean());
    assertEquals(6, account.get("error").get("line").asInt());
    assertTrue(account.get("error").get("column").asInt() > 0);
    assertTrue(
        account.get("error").get("path").asText().contains("restriction_mode"), account.toString());
    assertTrue(account.get("serving_etag").asText().length() > 60);
    assertTrue(files.get(1).get("valid").asBoolean());

    // Fixing the file brings it back.
    write(
        dir.resolve("policies/account.json"),
        Policies.account(1234, true).replace("pypi.org", "fixed.org"));
    await(() -> body(1234).contains("fixed.org"));
    assertTrue(status().get("files").get(0).get("valid").asBoolean());
  }

  @Test
  void aNewFileThatIsInvalidServesNothing() throws Exception {
    write(dir.resolve("policies/new.json"), "{ \"account_id\": ");
    await(() -> status().get("files").size() == 3);
    JsonNode n = status().get("files").get(1);
    assertEquals("new.json", n.get("file").asText());
    assertFalse(n.get("valid").asBoolean());
    assertTrue(n.get("serving_etag").isNull());
  }

  /** Like an editor's safe save: write a temporary file, then rename it over the old one. */
  private static void write(Path file, String content) throws Exception {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(tmp, content);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private String body(long ws) throws Exception {
    return c.get(CollectorFixture.ADMIN, "/v1/policy?workspace_id=" + ws).body();
  }

  private JsonNode status() throws Exception {
    HttpResponse<String> r = c.get(CollectorFixture.ADMIN, "/v1/policy/status");
    assertEquals(200, r.statusCode(), r.body());
    return TestRecords.JSON.readTree(r.body());
  }

  interface Check {
    boolean ok() throws Exception;
  }

  static void await(Check check) throws Exception {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (!check.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not seen within 20 s");
      }
      Thread.sleep(50);
    }
  }
}
