package dev.egress.it.storage;

import static dev.egress.it.storage.StorageWorld.NOTEBOOK;
import static dev.egress.it.storage.StorageWorld.OTHER_BUCKET;
import static dev.egress.it.storage.StorageWorld.PLATFORM_MAIN;
import static dev.egress.it.storage.StorageWorld.RAW_EVENTS;
import static dev.egress.it.storage.StorageWorld.REPL;
import static dev.egress.it.storage.StorageWorld.S3_REGIONAL;
import static dev.egress.it.storage.StorageWorld.USER_BUCKET;
import static dev.egress.it.storage.StorageWorld.denied;
import static dev.egress.it.storage.StorageWorld.ok;
import static dev.egress.it.storage.StorageWorld.requireCallerOfAll;
import static dev.egress.it.storage.StorageWorld.requireControl;
import static dev.egress.it.storage.StorageWorld.requireNoRecordsNaming;
import static dev.egress.it.storage.StorageWorld.requireServed;
import static dev.egress.it.storage.StorageWorld.requireStorageViolation;
import static dev.egress.it.storage.StorageWorld.requireUserCodeOfAll;
import static dev.egress.it.storage.StorageWorld.run;
import static dev.egress.it.storage.StorageWorld.s3Host;
import static dev.egress.it.storage.StorageWorld.s3Location;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egress.it.AgentJvm;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The AWS SDK v2 S3 clients against the fake S3 endpoint {@code http://s3.us-west-2.amazonaws.com}:
 *
 * <ul>
 *   <li>{@code s3}: S3Client on its default sync transport (apache5-client, Apache HttpClient 5,
 *       blocking java.net.Socket on the calling thread);
 *   <li>{@code s3-apache4}: S3Client on the Apache HttpClient 4 transport (apache-client), named
 *       explicitly (the SDK prefers apache5-client when both are on the class path);
 *   <li>{@code s3async}: S3AsyncClient on its default async transport (netty-nio-client, NIO
 *       SocketChannel connect on an aws-java-sdk-NettyEventLoop thread); {@code s3async-epoll}: the
 *       same on Netty's native epoll transport (direct-access case only).
 * </ul>
 *
 * Each case runs enforced and in dry-run ({@code mode=dry-run}).
 */
class S3StorageTest {
  @TempDir Path dir;

  private static boolean enforce(String mode) {
    return mode.equals("enforce");
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "s3,enforce",
    "s3,dry-run",
    "s3-apache4,enforce",
    "s3-apache4,dry-run",
    "s3async,enforce",
    "s3async,dry-run",
    "s3async-epoll,enforce",
    "s3async-epoll,dry-run"
  })
  void notebookCallingTheSdkDirectlyForAnAllowedBucketIsDirectStorageAccess(
      String client, String mode) {
    String label = "direct:" + client + ":" + RAW_EVENTS;
    String host = s3Host(RAW_EVENTS);
    AgentJvm.Result run = run(StorageWorld.jvm(dir, mode).main(REPL, label));
    if (enforce(mode)) {
      denied(run, label);
    } else {
      ok(run, label);
    }
    requireServed(run, host, "/direct-" + client + ".bin", enforce(mode) ? 0 : 1);
    requireStorageViolation(run, mode, host, "direct-storage-access", s3Location(RAW_EVENTS));
    requireCallerOfAll(run, host, NOTEBOOK, true);
    if (!enforce(mode)) {
      StorageWorld.requireConnectJudged(run, host, NOTEBOOK);
    }
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "s3,enforce",
    "s3,dry-run",
    "s3-apache4,enforce",
    "s3-apache4,dry-run",
    "s3async,enforce",
    "s3async,dry-run"
  })
  void gatewayToAnAllowedBucketIsAllowedFromNotebookAndFromPlatformCode(
      String client, String mode) {
    String label = "gateway:" + client + ":" + RAW_EVENTS;
    // the control, last: a bucket not in the policy straight from the SDK (notebook:
    // direct-storage-access; platform main: storage-not-allowed): proves the agent judged the run
    String control = "direct:" + client + ":" + OTHER_BUCKET;
    AgentJvm.Result notebook =
        run(StorageWorld.jvm(dir.resolve("nb"), mode).main(REPL, label, control));
    AgentJvm.Result platform =
        run(StorageWorld.jvm(dir.resolve("pl"), mode).main(PLATFORM_MAIN, label, control));
    String path = "/gateway-" + client + ".bin";
    assertAll(
        () -> ok(notebook, label),
        () -> requireNoRecordsNaming(notebook, RAW_EVENTS),
        () -> requireServed(notebook, s3Host(RAW_EVENTS), path, 1),
        () -> requireControl(notebook, mode, control, s3Host(OTHER_BUCKET)),
        () -> ok(platform, label),
        () -> requireNoRecordsNaming(platform, RAW_EVENTS),
        () -> requireServed(platform, s3Host(RAW_EVENTS), path, 1),
        () -> requireControl(platform, mode, control, s3Host(OTHER_BUCKET)));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "s3,enforce",
    "s3,dry-run",
    "s3-apache4,enforce",
    "s3-apache4,dry-run",
    "s3async,enforce",
    "s3async,dry-run"
  })
  void gatewayToABucketNotInThePolicyIsStorageNotAllowed(String client, String mode) {
    String label = "gateway:" + client + ":" + OTHER_BUCKET;
    String host = s3Host(OTHER_BUCKET);
    AgentJvm.Result platform =
        run(StorageWorld.jvm(dir.resolve("pl"), mode).main(PLATFORM_MAIN, label));
    AgentJvm.Result notebook = run(StorageWorld.jvm(dir.resolve("nb"), mode).main(REPL, label));
    if (enforce(mode)) {
      assertAll(() -> denied(platform, label), () -> denied(notebook, label));
    } else {
      assertAll(() -> ok(platform, label), () -> ok(notebook, label));
    }
    String path = "/gateway-" + client + ".bin";
    requireServed(platform, host, path, enforce(mode) ? 0 : 1);
    requireServed(notebook, host, path, enforce(mode) ? 0 : 1);
    requireStorageViolation(platform, mode, host, "storage-not-allowed", s3Location(OTHER_BUCKET));
    requireUserCodeOfAll(platform, host, false);
    requireStorageViolation(notebook, mode, host, "storage-not-allowed", s3Location(OTHER_BUCKET));
    requireCallerOfAll(notebook, host, NOTEBOOK, true);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "s3,enforce",
    "s3,dry-run",
    "s3-apache4,enforce",
    "s3-apache4,dry-run",
    "s3async,enforce",
    "s3async,dry-run"
  })
  void userCodeMayReachABucketWhoseExactFqdnIsAnAllowedInternetDestination(
      String client, String mode) {
    String label = "direct:" + client + ":" + USER_BUCKET;
    String control = "direct:" + client + ":" + RAW_EVENTS; // listed bucket, but not by its FQDN
    AgentJvm.Result run = run(StorageWorld.jvm(dir, mode).main(REPL, label, control));
    ok(run, label);
    requireServed(run, s3Host(USER_BUCKET), "/direct-" + client + ".bin", 1);
    requireNoRecordsNaming(run, s3Host(USER_BUCKET));
    requireControl(run, mode, control, s3Host(RAW_EVENTS));
  }

  /**
   * Path-style requests all go to {@code s3.us-west-2.amazonaws.com}; the bucket is only in the
   * HTTP path, so the connect alone cannot tell an allowed bucket from another. The agent's HTTP
   * layer must judge the request: raw-events passes, other-bucket is storage-not-allowed with
   * storage_event.path filled.
   */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({
    "s3-path,enforce",
    "s3-path,dry-run",
    "s3-apache4-path,enforce",
    "s3-apache4-path,dry-run",
    "s3async-path,enforce",
    "s3async-path,dry-run"
  })
  void pathStyleRequestForABucketNotInThePolicyIsDeniedWithItsPath(String client, String mode) {
    String allowed = "gateway:" + client + ":" + RAW_EVENTS;
    String other = "gateway:" + client + ":" + OTHER_BUCKET;
    AgentJvm.Result run = run(StorageWorld.jvm(dir, mode).main(PLATFORM_MAIN, allowed, other));
    String allowedPath = "/" + RAW_EVENTS + "/gateway-" + client + ".bin";
    String otherPath = "/" + OTHER_BUCKET + "/gateway-" + client + ".bin";
    ok(run, allowed);
    requireServed(run, S3_REGIONAL, allowedPath, 1);
    if (enforce(mode)) {
      // Netty (s3async-path): the request is stopped before the encoder, so the SDK reports the
      // agent's denial, not the encoder's state.
      denied(run, other);
    } else {
      ok(run, other);
    }
    requireServed(run, S3_REGIONAL, otherPath, enforce(mode) ? 0 : 1);
    List<JsonNode> records = StorageWorld.storageRecords(run, S3_REGIONAL);
    assertFalse(
        records.isEmpty(), "expected a STORAGE record for " + S3_REGIONAL + "\n" + run.describe());
    long counted = records.stream().mapToLong(r -> r.path("count").asLong(1)).sum();
    assertEquals(
        1, counted, "one violation, for other-bucket only, recorded once\n" + run.describe());
    JsonNode r = records.get(0);
    assertAll(
        () -> assertEquals("STORAGE", r.path("destination_type").asText(), r.toString()),
        () -> assertEquals("storage-not-allowed", r.path("reason").asText(), r.toString()),
        () ->
            assertEquals(
                "storage-not-allowed",
                r.path("storage_event").path("rejection_reason").asText(),
                r.toString()),
        () ->
            assertEquals(
                enforce(mode) ? "DROP" : "DRY_RUN_DENIAL",
                r.path("access_type").asText(),
                r.toString()),
        () ->
            assertTrue(
                r.path("destination").asText().matches(s3Location(OTHER_BUCKET)),
                "destination: " + r),
        () ->
            assertTrue(
                r.path("storage_event").path("path").asText("").startsWith("/" + OTHER_BUCKET),
                "storage_event.path: " + r),
        () -> assertEquals("TCP", r.path("protocol").asText(), r.toString()),
        () ->
            assertEquals(
                StorageWorld.PORT,
                r.path("port").asInt(),
                "port: the request went to port "
                    + StorageWorld.PORT
                    + " (http://, no port in Host): "
                    + r),
        () -> assertFalse(r.path("caller").path("user_code").asBoolean(true), r.toString()));
    List<JsonNode> aboutRawEvents =
        run.records().stream()
            .filter(x -> x.toString().contains(RAW_EVENTS))
            .collect(Collectors.toList());
    assertTrue(aboutRawEvents.isEmpty(), "the allowed bucket has no record\n" + run.describe());
  }
}
