package dev.egress.spark.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.egress.spark.launch.SparkDriverJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The driver JVM without the agent, the executors with it only through
 * spark.executor.extraJavaOptions: each executor then writes its own violations.log in its own
 * working directory (SPARK_HOME/work/&lt;app-id&gt;/&lt;executor-id&gt;/), and the UDF's denial is
 * there. (With the driver under the agent too, the Workers inside the driver JVM start the
 * executors through ProcessBuilder, and the agent's child-JVM rule hands them the driver's settings
 * instead: see SparkLocalClusterTest and README-section.md.)
 */
class ExecutorOnlyAgentTest {
  @Test
  void executorsAttachedThroughExtraJavaOptionsWriteTheirOwnLogs() throws Exception {
    ObjectMapper json = new ObjectMapper();
    try (HttpServerOn evil = new HttpServerOn(SparkDriverJvm.EVIL_ADDRESS);
        HttpServerOn lake = new HttpServerOn(SparkDriverJvm.LAKEPROD_ADDRESS)) {
      Path work = Path.of("target", "it", "executor-only").toAbsolutePath();
      Files.createDirectories(work);
      SparkDriverJvm driver =
          new SparkDriverJvm(work)
              .agent(SparkLocalClusterTest.agentJar(), SparkLocalClusterTest.policy(work))
              .driverWithoutAgent()
              .udfJar(Path.of(System.getProperty("spark.apps.udf.jar")))
              .args(
                  "jobs",
                  System.getProperty("spark.apps.udf.jar"),
                  "http://" + SparkDriverJvm.EVIL + ":" + evil.port(),
                  "http://" + SparkDriverJvm.LAKEPROD + ":" + lake.port(),
                  "30000");
      SparkDriverJvm.Result run = driver.run();
      System.out.println("[spark-it] executor-only: " + run.results.keySet());
      assertEquals("true", run.get("done"), run.toString());
      String appId = run.get("app_id");
      // The tasks fail; but a driver without the agent cannot deserialize the agent's exception
      // (dev.egress.bootstrap.EgressConnectException exists only in JVMs under the agent), so the
      // failure reaches it as "UnknownReason" instead of the "Egress denied" message.
      assertNotNull(run.get("udf.error"), run.toString());
      assertTrue(evil.paths.isEmpty(), evil.paths.toString());
      assertNotNull(run.get("gateway.ok"), run.toString());
      assertNotNull(run.get("direct.error"), run.toString());
      assertTrue(
          lake.paths.stream().noneMatch(p -> p.startsWith("/direct/")), lake.paths.toString());
      // The driver has no agent: its own connection to the "denied" loopback server goes through.
      assertEquals("[connected]", run.get("driver.ok"), run.toString());
      assertFalse(
          Files.exists(driver.driverLog()),
          "the driver had no agent but wrote " + driver.driverLog());
      List<JsonNode> all = new ArrayList<>();
      for (String id : List.of("0", "1")) {
        Path log = driver.executorLog(appId, id);
        if (!Files.exists(log)) {
          continue;
        }
        for (String line : Files.readAllLines(log)) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode r = json.readTree(line);
          System.out.println("[spark-it] " + log + ": " + r);
          assertEquals("executor", r.path("process").path("jvm_role").asText(), r.toString());
          assertEquals(id, r.path("process").path("spark_executor_id").asText(), r.toString());
          assertEquals(appId, r.path("process").path("spark_app_id").asText(), r.toString());
          assertFalse(r.path("destination").asText().startsWith("127.0.0.1"), r.toString());
          all.add(r);
        }
      }
      assertTrue(
          all.stream()
              .anyMatch(
                  r ->
                      r.path("caller")
                              .path("class")
                              .asText()
                              .equals("dev.egress.spark.udf.FetchUdf")
                          && r.path("caller").path("user_code").asBoolean()),
          "no FetchUdf record in the executors' own logs: " + all);
      assertTrue(
          all.stream().anyMatch(r -> r.path("reason").asText().equals("direct-storage-access")),
          all.toString());
    }
  }
}
