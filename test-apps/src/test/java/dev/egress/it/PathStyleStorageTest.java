package dev.egress.it;

import static dev.egress.it.Records.requireDenied;
import static dev.egress.it.Records.requireOk;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Path-style storage requests name the bucket in the path ({@code
 * s3.us-west-2.amazonaws.com/<bucket>/key}): the host is the same for every bucket, so the agent
 * checks the bucket where the HTTP client makes the request (SPEC section 5, issue 3).
 */
class PathStyleStorageTest {
  static final String S3 = "s3.us-west-2.amazonaws.com";
  static final String S3_ADDRESS = "127.0.0.21";

  @TempDir Path dir;

  @Test
  void platformCodeReachesAnAllowedBucketButNotAnother() throws Exception {
    try (HttpTestServer s3 = HttpTestServer.start(S3_ADDRESS)) {
      // The standard set allows the sample data sets bucket (platform storage) in us-west-2.
      String allowedClient = "httpclient:" + s3.url(S3, "/databricks-datasets/README.md");
      String deniedClient = "httpclient:" + s3.url(S3, "/other-bucket/secrets.csv");
      String allowedUrl = "urlconn:" + s3.url(S3, "/databricks-datasets/flights.csv");
      String deniedUrl = "urlconn:" + s3.url(S3, "/other-bucket/keys.json");
      Path policy = Policies.write(dir, "policy.json", Policies.standardSet());
      AgentJvm.Result run =
          AgentJvm.standard(dir, policy)
              .hosts(Hosts.content() + S3_ADDRESS + " " + S3 + "\n")
              .probe(allowedClient, deniedClient, allowedUrl, deniedUrl)
              .run();
      List<JsonNode> records =
          run.records().stream()
              .filter(r -> "storage-not-allowed".equals(r.path("reason").asText()))
              .collect(Collectors.toList());
      List<String> paths =
          records.stream()
              .map(r -> r.path("storage_event").path("path").asText())
              .sorted()
              .collect(Collectors.toList());
      assertAll(
          () -> requireOk(run, allowedClient),
          () -> requireOk(run, allowedUrl),
          () -> requireDenied(run, deniedClient, "ConnectException"),
          () -> requireDenied(run, deniedUrl, "ConnectException"),
          () -> assertEquals(2, s3.requests(), "only the allowed bucket's requests reach S3"),
          () ->
              assertEquals(
                  List.of("/other-bucket/keys.json", "/other-bucket/secrets.csv"),
                  paths,
                  run.describe()),
          () ->
              assertTrue(
                  records.stream()
                      .allMatch(r -> "STORAGE".equals(r.path("destination_type").asText())),
                  run.describe()),
          () ->
              assertTrue(
                  records.stream()
                      .allMatch(r -> S3.equals(r.path("storage_event").path("hostname").asText())),
                  run.describe()));
    }
  }

  @Test
  void userCodeIsDeniedEvenTheAllowedBucketAndTheRecordNamesIt() throws Exception {
    try (HttpTestServer s3 = HttpTestServer.start(S3_ADDRESS)) {
      String async = "httpclient-async:" + s3.url(S3, "/databricks-datasets/README.md");
      Path policy = Policies.write(dir, "policy.json", Policies.standardSet());
      AgentJvm.Result run =
          AgentJvm.standard(dir, policy)
              .hosts(Hosts.content() + S3_ADDRESS + " " + S3 + "\n")
              .main(StorageAndMetadataTest.USER_CODE, "dev.egress.testapps.Probe", async)
              .run();
      JsonNode record =
          run.records().stream()
              .filter(r -> "direct-storage-access".equals(r.path("reason").asText()))
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError("no direct-storage-access record\n" + run.describe()));
      assertAll(
          () -> requireDenied(run, async, "ConnectException"),
          () -> assertEquals(0, s3.requests()),
          // The connect runs on an HttpClient worker thread: the requester is carried there.
          () ->
              assertEquals(
                  "dev.egress.testapps.Probe",
                  record.path("caller").path("class").asText(),
                  record.toString()),
          () -> assertTrue(record.path("caller").path("user_code").asBoolean(), record.toString()));
    }
  }
}
