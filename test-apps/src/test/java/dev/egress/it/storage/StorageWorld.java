package dev.egress.it.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egress.it.AgentJvm;
import dev.egress.it.Policies;
import dev.egress.it.ProbeResult;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The storage tests' world: storage host names on their own loopback addresses, a policy set in the
 * shape of SPEC section 4's example (workspace 1234 bound to "restricted"), child JVMs that run the
 * storage workloads with the real SDKs on their class path, in a loopback-only network namespace,
 * and assertions on their RESULT and SERVED lines and violation records.
 */
final class StorageWorld {
  static final String REPL = "dev.egress.testapps.storage.Repl";
  static final String PLATFORM_MAIN = "dev.egress.testapps.storage.PlatformMain";
  static final String NOTEBOOK = "dev.egress.testapps.storage.Notebook";
  static final String GATEWAY = "org.apache.hadoop.fs.egresstest.GatewayReader";

  static final String LAKEPROD_BLOB = "lakeprod.blob.core.windows.net";
  static final String LAKEPROD_DFS = "lakeprod.dfs.core.windows.net";
  static final String OTHERLAKE_BLOB = "otherlake.blob.core.windows.net";
  static final String OTHERLAKE_DFS = "otherlake.dfs.core.windows.net";

  /** An Azure storage host listed by its exact FQDN in allowed_internet_destinations only. */
  static final String USERLAKE_BLOB = "userlake.blob.core.windows.net";

  static final String S3_REGIONAL = "s3.us-west-2.amazonaws.com";
  static final String RAW_EVENTS = "raw-events";
  static final String OTHER_BUCKET = "other-bucket";

  /** A bucket whose virtual-hosted FQDN is listed in allowed_internet_destinations only. */
  static final String USER_BUCKET = "user-bucket";

  /** The fake servers' port inside the namespace (FakeStorage's default; URLs carry no port). */
  static final int PORT = 80;

  static String s3Host(String bucket) {
    return bucket + "." + S3_REGIONAL;
  }

  /** name → address: distinct 127.0.0.x (above the ones of dev.egress.it.Hosts). */
  static final Map<String, String> ADDRESS = new LinkedHashMap<>();

  static {
    ADDRESS.put(LAKEPROD_BLOB, "127.0.0.41");
    ADDRESS.put(LAKEPROD_DFS, "127.0.0.42");
    ADDRESS.put(OTHERLAKE_BLOB, "127.0.0.43");
    ADDRESS.put(OTHERLAKE_DFS, "127.0.0.44");
    ADDRESS.put(USERLAKE_BLOB, "127.0.0.45");
    ADDRESS.put(s3Host(RAW_EVENTS), "127.0.0.46");
    ADDRESS.put(s3Host(OTHER_BUCKET), "127.0.0.47");
    ADDRESS.put(S3_REGIONAL, "127.0.0.48");
    ADDRESS.put(s3Host(USER_BUCKET), "127.0.0.49");
  }

  private StorageWorld() {}

  static String hostsFile() {
    StringBuilder b = new StringBuilder("# storage integration tests: loopback only\n");
    ADDRESS.forEach((n, a) -> b.append(a).append(' ').append(n).append('\n'));
    return b.toString();
  }

  /** SPEC section 4's example, workspace 1234 restricted; storage entries for these tests. */
  static String policySet() {
    return """
        { "account_id": "%s",
          "network_policies": [
            { "network_policy_id": "default-policy",
              "egress": { "network_access": { "restriction_mode": "FULL_ACCESS" } } },
            { "network_policy_id": "restricted",
              "egress": { "network_access": {
                "restriction_mode": "RESTRICTED_ACCESS",
                "allowed_internet_destinations": [
                  { "destination": "userlake.blob.core.windows.net", "internet_destination_type": "DNS_NAME" },
                  { "destination": "user-bucket.s3.us-west-2.amazonaws.com", "internet_destination_type": "DNS_NAME" },
                  { "destination": "pypi.org", "internet_destination_type": "DNS_NAME" } ],
                "allowed_storage_destinations": [
                  { "azure_storage_account": "lakeprod", "azure_storage_service": "dfs", "storage_destination_type": "AZURE_STORAGE" },
                  { "azure_storage_account": "lakeprod", "azure_storage_service": "blob", "storage_destination_type": "AZURE_STORAGE" },
                  { "bucket_name": "raw-events", "region": "us-west-2", "storage_destination_type": "AWS_S3" },
                  { "bucket_name": "ml-models", "storage_destination_type": "GOOGLE_CLOUD_STORAGE" } ],
                "allowed_databricks_destinations": [ { "workspace_ids": [ 5678 ] } ] } } } ],
          "workspaces": [
            { "workspace_id": 1234, "network_policy_id": "restricted",
              "deployment_hosts": [ "adb-1234.5.azuredatabricks.net" ],
              "workspace_storage": [ { "azure_storage_account": "dbstorage1234", "azure_storage_service": "dfs", "storage_destination_type": "AZURE_STORAGE" } ],
              "unity_catalog": {
                "external_locations": [ { "name": "landing", "url": "abfss://landing@lakeraw.dfs.core.windows.net/in" } ],
                "connections": [] } } ],
          "platform": {
            "system_tables_storage": [ { "azure_storage_account": "systemtables", "azure_storage_service": "dfs", "storage_destination_type": "AZURE_STORAGE" } ],
            "sample_datasets_storage": [ { "bucket_name": "databricks-datasets", "region": "us-west-2", "storage_destination_type": "AWS_S3" } ] } }
        """
        .formatted(Policies.ACCOUNT);
  }

  /**
   * A child JVM under the agent (enforce or dry-run), in a loopback-only network namespace (skips
   * where that is impossible), resolving only from the storage hosts file.
   */
  static AgentJvm jvm(Path dir, String mode) {
    try {
      Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new RuntimeException(e);
    }
    Path policy = Policies.write(dir, "policy-" + mode + ".json", policySet());
    return AgentJvm.standard(dir.resolve(mode), policy)
        .agentArg("violations.log", dir.resolve(mode).resolve("violations.log").toString())
        .violationsLog(dir.resolve(mode).resolve("violations.log"))
        .agentArg("mode", mode)
        .hosts(hostsFile())
        .loopbackOnlyNetns()
        .timeoutSeconds(120);
  }

  /**
   * Runs {@code jvm} with the SDKs on its class path: {@code classes:target/storage-libs/*} (the
   * java launcher expands the wildcard); the other tests' children keep the plain class path.
   */
  static AgentJvm.Result run(AgentJvm jvm) {
    String classes = System.getProperty("test.apps.classes", "target/classes");
    String libs =
        System.getProperty(
            "test.apps.storage.libs", Paths.get(classes).resolveSibling("storage-libs").toString());
    assertTrue(
        Files.isDirectory(Paths.get(libs)),
        "SDK jars missing in " + libs + " (mvn -pl test-apps process-classes copies them)");
    return jvm.classPath(classes + File.pathSeparator + libs + File.separator + "*").run();
  }

  // --- assertions -------------------------------------------------------------------------------

  static ProbeResult ok(AgentJvm.Result run, String label) {
    ProbeResult r = run.result(label);
    assertEquals("OK", r.status, label + ": expected OK, got " + r + "\n" + run.describe());
    return r;
  }

  static ProbeResult denied(AgentJvm.Result run, String label) {
    ProbeResult r = run.result(label);
    assertEquals("DENIED", r.status, label + ": expected DENIED, got " + r + "\n" + run.describe());
    assertTrue(r.message.startsWith("Egress denied"), label + ": message " + r.message);
    return r;
  }

  /** How many requests for {@code path} the fake server for {@code host} answered. */
  static int served(AgentJvm.Result run, String host, String path) {
    String prefix = "SERVED GET " + host + " " + path + " ";
    return run.stdout.stream()
        .filter(l -> l.startsWith(prefix))
        .mapToInt(l -> Integer.parseInt(l.substring(prefix.length()).trim()))
        .sum();
  }

  static void requireServed(AgentJvm.Result run, String host, String path, int expected) {
    assertEquals(
        expected,
        served(run, host, path),
        "requests served by " + host + " for " + path + "\n" + run.describe());
  }

  /** Records whose storage_event.hostname is {@code host}. */
  static List<JsonNode> storageRecords(AgentJvm.Result run, String host) {
    return run.records().stream()
        .filter(r -> host.equals(r.path("storage_event").path("hostname").asText()))
        .collect(Collectors.toList());
  }

  /** Records that name {@code host} anywhere (destination, dns_event, storage_event). */
  static List<JsonNode> recordsNaming(AgentJvm.Result run, String host) {
    return run.records().stream()
        .filter(r -> r.toString().contains(host))
        .collect(Collectors.toList());
  }

  /**
   * The violation of one attempt on {@code host}: STORAGE records with {@code reason}, {@code
   * access_type} DROP (enforce) or DRY_RUN_DENIAL (dry-run), destination the storage location
   * (matching {@code destinationPattern}, see {@link #azureLocation} and {@link #s3Location}).
   * Every record naming the host must be such a record. Enforced, the attempt stops at its first
   * denial (the name lookup, or the connect), so there is exactly one; in dry-run the lookup and
   * the connect are each a would-be denial, so there is one of each protocol (DNS, TCP), never
   * more. Returns the first.
   */
  static JsonNode requireStorageViolation(
      AgentJvm.Result run, String mode, String host, String reason, String destinationPattern) {
    List<JsonNode> found = storageRecords(run, host);
    assertFalse(
        found.isEmpty(),
        "expected a STORAGE record with storage_event.hostname " + host + "\n" + run.describe());
    List<JsonNode> all = recordsNaming(run, host);
    for (JsonNode r : all) {
      assertEquals("STORAGE", r.path("destination_type").asText(), r.toString());
      assertEquals(reason, r.path("reason").asText(), "reason of " + r + "\n" + run.describe());
      assertEquals(reason, r.path("storage_event").path("rejection_reason").asText(), r.toString());
      assertEquals(
          mode.equals("dry-run") ? "DRY_RUN_DENIAL" : "DROP",
          r.path("access_type").asText(),
          r.toString());
      assertTrue(
          r.path("destination").asText().matches(destinationPattern),
          "destination "
              + r.path("destination")
              + " should match "
              + destinationPattern
              + ": "
              + r);
      assertEquals("1234", r.path("workspace_id").asText(), r.toString());
      assertEquals("restricted", r.path("network_policy_id").asText(), r.toString());
      if (r.path("protocol").asText().equals("TCP")) {
        assertEquals(PORT, r.path("port").asInt(), "port of the TCP record: " + r);
      }
    }
    Map<String, Long> perProtocol =
        all.stream()
            .collect(
                Collectors.groupingBy(
                    r -> r.path("protocol").asText(),
                    Collectors.summingLong(r -> r.path("count").asLong(1))));
    if (mode.equals("dry-run")) {
      // In dry run nothing stops the request, so each step is a would-be denial: the lookup (DNS)
      // and the connect (TCP). The HTTP layer that sees the same request on the connecting thread
      // (Netty's encoder, judged once per request) is paired with the connect: one record a step.
      perProtocol.forEach(
          (protocol, n) ->
              assertEquals(
                  1L,
                  n,
                  "one would-be denial per step ("
                      + protocol
                      + ") of one attempt\n"
                      + run.describe()));
    } else {
      assertEquals(
          1L,
          perProtocol.values().stream().mapToLong(Long::longValue).sum(),
          "one violation for one denied attempt (no retries, no second record)\n" + run.describe());
    }
    return found.get(0);
  }

  /**
   * In dry-run nothing stops the attempt at the lookup, so the connect itself must have been judged
   * too: a TCP record proves that the transport's connect hook (Netty's native epoll connect, NIO
   * SocketChannel, java.net.Socket) saw it, with the caller carried to the connecting thread.
   */
  static void requireConnectJudged(AgentJvm.Result run, String host, String callerClass) {
    List<JsonNode> tcp =
        recordsNaming(run, host).stream()
            .filter(r -> r.path("protocol").asText().equals("TCP"))
            .collect(Collectors.toList());
    assertFalse(
        tcp.isEmpty(), "expected a TCP record for the connect to " + host + "\n" + run.describe());
    if (callerClass != null) {
      requireCaller(run, tcp.get(0), callerClass, true);
    }
  }

  /** The storage location of an Azure host: abfss:// or wasbs:// (blob endpoint) and the host. */
  static String azureLocation(String host) {
    return "(abfss|wasbs)://([^/]*@)?" + java.util.regex.Pattern.quote(host) + "(/.*)?";
  }

  /** The storage location of an S3 bucket: s3://bucket. */
  static String s3Location(String bucket) {
    return "s3://" + java.util.regex.Pattern.quote(bucket) + "(/.*)?";
  }

  /** {@link #requireCaller} for every record naming {@code host}. */
  static void requireCallerOfAll(
      AgentJvm.Result run, String host, String callerClass, boolean userCode) {
    for (JsonNode r : recordsNaming(run, host)) {
      requireCaller(run, r, callerClass, userCode);
    }
  }

  static void requireUserCodeOfAll(AgentJvm.Result run, String host, boolean userCode) {
    for (JsonNode r : recordsNaming(run, host)) {
      assertEquals(
          userCode,
          r.path("caller").path("user_code").asBoolean(!userCode),
          "caller.user_code: " + r + "\n" + run.describe());
    }
  }

  static void requireCaller(
      AgentJvm.Result run, JsonNode record, String callerClass, boolean userCode) {
    JsonNode caller = record.path("caller");
    assertEquals(
        callerClass,
        caller.path("class").asText(),
        "caller.class (the requesting code, not an event-loop or reactor thread's class): "
            + record
            + "\n"
            + run.describe());
    assertEquals(
        userCode, caller.path("user_code").asBoolean(!userCode), "caller.user_code: " + record);
  }

  /**
   * A control action in a run whose other actions must pass: it must be denied (dry-run: pass and
   * be recorded), which proves the agent was active and judged this run ({@code
   * -Dit.without.agent=true} makes every storage test fail, as the README asks of every test).
   */
  static void requireControl(AgentJvm.Result run, String mode, String label, String host) {
    if (mode.equals("dry-run")) {
      ok(run, label);
    } else {
      denied(run, label);
    }
    assertFalse(
        storageRecords(run, host).isEmpty(),
        "control "
            + label
            + ": expected a STORAGE record for "
            + host
            + " (is the agent active?)\n"
            + run.describe());
  }

  static void requireNoRecords(AgentJvm.Result run) {
    assertTrue(run.logLines().isEmpty(), "expected no violation record\n" + run.describe());
  }

  static void requireNoRecordsNaming(AgentJvm.Result run, String host) {
    assertTrue(
        recordsNaming(run, host).isEmpty(),
        "expected no record naming " + host + "\n" + run.describe());
  }
}
