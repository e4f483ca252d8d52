package dev.egress.it;

import static dev.egress.it.Records.requireDenied;
import static dev.egress.it.Records.requireFor;
import static dev.egress.it.Records.requireOk;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Settings (SPEC section 3): agent argument over egress.* property over EGRESS_* env over config
 * file.
 */
class SettingsTest {
  @TempDir Path dir;

  /**
   * Each setting is given at several levels with a different value each; the record shows which
   * won: workspace.id (all four: agent argument wins), product (property, env, file: property
   * wins), violations.log (env and file: env wins), internal.cidrs and policy (file only: the file
   * is read).
   */
  @Test
  void precedenceIsAgentArgumentThenPropertyThenEnvironmentThenConfigFile() throws Exception {
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      Path policy = Policies.write(dir, "policy.json", Policies.set(true, ""));
      Path envLog = dir.resolve("env.log");
      Path fileLog = dir.resolve("file.log");
      Path config = dir.resolve("egress.properties");
      Files.writeString(
          config,
          String.join(
              "\n",
              "policy=" + policy,
              "workspace.id=3333",
              "product=APPS",
              "violations.log=" + fileLog,
              "internal.cidrs=127.0.0.1/32",
              ""));
      String tcp = "socket:127.0.0.3:" + evil.port();
      AgentJvm.Result run =
          AgentJvm.in(dir)
              .agentArg("workspace.id", "1234")
              .sysProp("egress.workspace.id", "1111")
              .sysProp("egress.product", "DBSQL")
              .env("EGRESS_WORKSPACE_ID", "2222")
              .env("EGRESS_PRODUCT", "ML_SERVING")
              .env("EGRESS_VIOLATIONS_LOG", envLog.toString())
              .env("EGRESS_CONFIG", config.toString())
              .violationsLog(envLog)
              .probe(tcp)
              .run();
      requireDenied(run, tcp, "ConnectException");
      assertFalse(
          Files.exists(fileLog) && !Files.readString(fileLog).isBlank(),
          "the config file's violations.log must lose to EGRESS_VIOLATIONS_LOG\n" + run.describe());
      JsonNode r = requireFor(run, "127.0.0.3").get(0);
      assertAll(
          () -> assertEquals("1234", r.path("workspace_id").asText(), "agent argument wins: " + r),
          () ->
              assertEquals(Policies.RESTRICTED, r.path("network_policy_id").asText(), r.toString()),
          () ->
              assertEquals(
                  "DBSQL",
                  r.path("network_source_type").asText(),
                  "property beats env and file: " + r));
    }
  }

  /**
   * SPEC section 2's JAVA_TOOL_OPTIONS style: -javaagent without arguments, everything from the
   * environment.
   */
  @Test
  void environmentAloneConfiguresTheAgent() throws Exception {
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      Path policy = Policies.write(dir, "policy.json", Policies.standardSet());
      Path log = dir.resolve("from-env.log");
      String tcp = "socket:127.0.0.3:" + evil.port();
      AgentJvm.Result run =
          AgentJvm.in(dir)
              .viaJavaToolOptions()
              .env("EGRESS_POLICY", policy.toString())
              .env("EGRESS_WORKSPACE_ID", "1234")
              .env("EGRESS_VIOLATIONS_LOG", log.toString())
              .env("EGRESS_INTERNAL_CIDRS", "127.0.0.1/32")
              .violationsLog(log)
              .probe(tcp)
              .run();
      requireDenied(run, tcp, "ConnectException");
      assertEquals(
          Policies.RESTRICTED,
          requireFor(run, "127.0.0.3").get(0).path("network_policy_id").asText());
    }
  }

  /** Inside the agent argument the items of a list are separated by ';'. */
  @Test
  void listsInTheAgentArgumentUseSemicolons() throws Exception {
    try (TcpServer internal3 = TcpServer.start("127.0.0.3");
        TcpServer other = TcpServer.start("127.0.0.2")) {
      Path policy = Policies.write(dir, "policy.json", Policies.standardSet());
      String in = "socket:127.0.0.3:" + internal3.port();
      String out = "socket:127.0.0.2:" + other.port();
      AgentJvm.Result run =
          AgentJvm.standard(dir, policy)
              .agentArg("internal.cidrs", "127.0.0.1/32;127.0.0.3/32")
              .probe(in, out)
              .run();
      requireOk(run, in);
      requireDenied(run, out, "ConnectException");
      Records.requireNoneFor(run, "127.0.0.3");
    }
  }

  @Test
  void unknownKeyInTheAgentArgumentIsReportedByName() throws Exception {
    Path policy = Policies.write(dir, "policy.json", Policies.standardSet());
    AgentJvm.Result run =
        AgentJvm.standard(dir, policy)
            .agentArg("polcy", "/etc/egress/typo.json")
            .main("dev.egress.testapps.Hello")
            .run();
    assertTrue(
        run.stderr.contains("polcy"),
        "stderr must name the unknown key 'polcy'\n" + run.describe());
  }

  @Test
  void unknownKeyInTheConfigFileIsReportedByName() throws Exception {
    Path policy = Policies.write(dir, "policy.json", Policies.standardSet());
    Path config = dir.resolve("egress.properties");
    Files.writeString(config, "violations.logfile=/tmp/x.log\n");
    AgentJvm.Result run =
        AgentJvm.standard(dir, policy)
            .agentArg("config", config.toString())
            .main("dev.egress.testapps.Hello")
            .run();
    assertTrue(
        run.stderr.contains("violations.logfile"),
        "stderr must name the unknown key 'violations.logfile'\n" + run.describe());
  }

  /** The agent starts and leaves a program that makes no connection alone. */
  @Test
  void helloRunsUnderTheAgentWithoutViolations() {
    Path policy = Policies.write(dir, "policy.json", Policies.standardSet());
    AgentJvm.Result run = AgentJvm.standard(dir, policy).main("dev.egress.testapps.Hello").run();
    assertEquals(0, run.exitCode, run.describe());
    assertTrue(run.stdout.stream().anyMatch(l -> l.startsWith("Hello from")), run.describe());
    assertEquals(List.of(), run.logLines());
    assertFalse(
        run.stderr.contains("Exception")
            || run.stderr.toLowerCase(java.util.Locale.ROOT).contains("error"),
        "the agent starts cleanly: no exception or error on stderr\n" + run.describe());
    assertTrue(
        run.command.stream().anyMatch(c -> c.startsWith("-javaagent:")), "ran under the agent");
  }
}
