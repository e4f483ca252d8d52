package dev.egress.spark.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egress.spark.launch.SparkDriverJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * One real Spark application in local-cluster[2,1,1024] (driver JVM started here under the agent,
 * two executor JVMs started by the Workers inside it, the agent in
 * spark.executor.extraJavaOptions), then assertions on what the jobs saw and on the violation
 * records of every JVM.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SparkLocalClusterTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final long ROWS = 300_000;

  HttpServerOn evil;
  HttpServerOn lake;
  SparkDriverJvm driver;
  SparkDriverJvm.Result run;
  String appId;

  /** Every record of every JVM of the application, each tagged with the file it came from. */
  final List<JsonNode> records = new ArrayList<>();

  final List<Path> logs = new ArrayList<>();

  static Path agentJar() {
    return Path.of(System.getProperty("egress.agent.jar", "../agent/target/egress-agent.jar"))
        .toAbsolutePath()
        .normalize();
  }

  static Path policy(Path dir) throws IOException {
    Path p = dir.resolve("policy.json");
    Files.writeString(
        p,
        """
        { "network_policy_id": "restricted",
          "egress": { "network_access": {
            "restriction_mode": "RESTRICTED_ACCESS",
            "allowed_internet_destinations": [
              { "destination": "allowed.example.com", "internet_destination_type": "DNS_NAME" } ],
            "allowed_storage_destinations": [
              { "azure_storage_account": "lakeprod", "azure_storage_service": "dfs",
                "storage_destination_type": "AZURE_STORAGE" } ] } } }
        """);
    return p;
  }

  @BeforeAll
  void runApplication() throws Exception {
    assertTrue(Files.isRegularFile(agentJar()), "build the agent first: " + agentJar());
    evil = new HttpServerOn(SparkDriverJvm.EVIL_ADDRESS);
    lake = new HttpServerOn(SparkDriverJvm.LAKEPROD_ADDRESS);
    Path work = Path.of("target", "it", "local-cluster").toAbsolutePath();
    Files.createDirectories(work);
    Files.deleteIfExists(work.resolve("driver-violations.log"));
    driver =
        new SparkDriverJvm(work)
            .agent(agentJar(), policy(work))
            .udfJar(Path.of(System.getProperty("spark.apps.udf.jar")))
            .args(
                "jobs",
                System.getProperty("spark.apps.udf.jar"),
                "http://" + SparkDriverJvm.EVIL + ":" + evil.port(),
                "http://" + SparkDriverJvm.LAKEPROD + ":" + lake.port(),
                Long.toString(ROWS));
    run = driver.run();
    System.out.println("[spark-it] " + run.results);
    appId = run.get("app_id");
    logs.add(driver.driverLog());
    for (String id : List.of("0", "1")) {
      logs.add(driver.executorLog(appId == null ? "none" : appId, id));
    }
    for (Path log : logs) {
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log)) {
          if (!line.isBlank()) {
            JsonNode n = JSON.readTree(line);
            ((com.fasterxml.jackson.databind.node.ObjectNode) n).put("_file", log.toString());
            records.add(n);
          }
        }
      }
    }
    records.forEach(r -> System.out.println("[spark-it] record " + r));
  }

  @AfterAll
  void stopServers() {
    if (evil != null) {
      evil.close();
    }
    if (lake != null) {
      lake.close();
    }
  }

  List<JsonNode> executorRecords() {
    return records.stream()
        .filter(r -> "executor".equals(r.path("process").path("jvm_role").asText()))
        .collect(Collectors.toList());
  }

  @Test
  void applicationRanAndSparkKeptWorkingAfterTheDenials() {
    assertEquals(0, run.exitCode, run.toString());
    assertEquals("true", run.get("done"), run.toString());
    assertNotNull(appId, run.toString());
    assertEquals(Long.toString(ROWS / 3), run.get("shuffle.groups"), run.toString());
    assertEquals(Long.toString(ROWS), run.get("shuffle.total"), run.toString());
    assertEquals(Long.toString(ROWS / 10), run.get("after.total"), run.toString());
  }

  @Test
  void udfConnectingToDeniedHostFailsItsTaskWithTheAgentsMessage() {
    String error = run.get("udf.error");
    assertNotNull(error, "the UDF job did not fail: " + run);
    assertTrue(error.contains("Egress denied"), error);
    assertTrue(error.contains(SparkDriverJvm.EVIL), error);
    assertTrue(evil.paths.isEmpty(), "the denied host was reached: " + evil.paths);
  }

  @Test
  void executorRecordNamesTheUdfAsUserCodeWithSparkIds() {
    List<JsonNode> udf =
        executorRecords().stream()
            .filter(
                r ->
                    r.path("destination").asText().contains(SparkDriverJvm.EVIL)
                        || r.path("destination").asText().equals(SparkDriverJvm.EVIL_ADDRESS))
            .collect(Collectors.toList());
    assertFalse(udf.isEmpty(), "no executor record for the UDF's connection: " + records);
    for (JsonNode r : udf) {
      assertEquals("DROP", r.path("access_type").asText(), r.toString());
      assertEquals("not-allowed", r.path("reason").asText(), r.toString());
      JsonNode caller = r.path("caller");
      assertEquals("dev.egress.spark.udf.FetchUdf", caller.path("class").asText(), r.toString());
      assertEquals("call", caller.path("method").asText(), r.toString());
      assertTrue(caller.path("user_code").asBoolean(), r.toString());
      assertTrue(caller.path("code_source").asText().endsWith("-udf.jar"), r.toString());
      JsonNode p = r.path("process");
      assertEquals("executor", p.path("jvm_role").asText(), r.toString());
      assertEquals(appId, p.path("spark_app_id").asText(), r.toString());
      assertTrue(List.of("0", "1").contains(p.path("spark_executor_id").asText()), r.toString());
      assertTrue(
          p.path("pid").asLong() != run.pid, "executor record carries the driver's pid: " + r);
    }
  }

  @Test
  void sparkOwnTrafficIsNeverJudged() {
    for (JsonNode r : records) {
      String d = r.path("destination").asText();
      String ip = r.path("ip_event").path("ip_address").asText("");
      assertFalse(
          d.startsWith("127.0.0.1") || ip.equals("127.0.0.1") || d.equals("localhost"),
          "Spark-internal traffic was judged: " + r);
      assertTrue(
          d.contains(SparkDriverJvm.EVIL)
              || d.equals(SparkDriverJvm.EVIL_ADDRESS)
              || d.contains(SparkDriverJvm.LAKEPROD)
              || d.equals(SparkDriverJvm.LAKEPROD_ADDRESS),
          "a record for something the jobs did not ask for: " + r);
    }
  }

  @Test
  void gatewayReadReachesAllowedStorage() {
    String ok = run.get("gateway.ok");
    assertNotNull(ok, "the gateway read failed: " + run);
    assertTrue(ok.contains("object /gateway/part-0") && ok.contains("object /gateway/part-1"), ok);
    assertEquals(
        2,
        lake.paths.stream().filter(p -> p.startsWith("/gateway/")).count(),
        lake.paths.toString());
    assertTrue(
        records.stream()
            .noneMatch(
                r ->
                    r.toString().contains("GatewayStorageRead")
                        || r.toString().contains("/gateway/")),
        "a record for the gateway read: " + records);
  }

  @Test
  void sameReadFromUdfIsDirectStorageAccess() {
    String error = run.get("direct.error");
    assertNotNull(error, "the direct read was not denied: " + run);
    assertTrue(error.contains("Egress denied") && error.contains("direct-storage-access"), error);
    assertTrue(lake.paths.stream().noneMatch(p -> p.startsWith("/direct/")), lake.paths.toString());
    List<JsonNode> direct =
        executorRecords().stream()
            .filter(r -> "direct-storage-access".equals(r.path("reason").asText()))
            .collect(Collectors.toList());
    assertFalse(direct.isEmpty(), "no executor record with direct-storage-access: " + records);
    for (JsonNode r : direct) {
      assertEquals(
          "dev.egress.spark.udf.DirectStorageRead",
          r.path("caller").path("class").asText(),
          r.toString());
      assertTrue(r.path("caller").path("user_code").asBoolean(), r.toString());
      assertEquals(appId, r.path("process").path("spark_app_id").asText(), r.toString());
    }
  }

  @Test
  void driverOwnDenialIsRecordedByTheDriverJvm() {
    String error = run.get("driver.error");
    assertNotNull(error, "the driver's own connection was not denied: " + run);
    assertTrue(error.contains("Egress denied"), error);
    List<JsonNode> mine =
        records.stream()
            .filter(r -> r.path("process").path("pid").asLong() == run.pid)
            .collect(Collectors.toList());
    assertFalse(mine.isEmpty(), "no record from the driver JVM: " + records);
    for (JsonNode r : mine) {
      assertEquals(
          "dev.egress.spark.driver.EgressJobs",
          r.path("caller").path("class").asText(),
          r.toString());
      assertFalse(r.path("caller").path("user_code").asBoolean(), r.toString());
    }
  }

  @Test
  void whereEachJvmWroteItsRecords() {
    // Informational (see README-section.md): which file holds which JVM's records.
    for (Path log : logs) {
      System.out.println(
          "[spark-it] "
              + log
              + ": "
              + (Files.exists(log)
                  ? records.stream()
                      .filter(r -> r.path("_file").asText().equals(log.toString()))
                      .map(
                          r ->
                              r.path("process").path("jvm_role").asText()
                                  + "/"
                                  + r.path("process").path("pid"))
                      .collect(Collectors.toList())
                  : "absent"));
    }
    assertTrue(Stream.of(run).allMatch(r -> r.exitCode == 0));
  }
}
