package dev.egress.it.hostile;

import static dev.egress.it.hostile.H.a;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egress.it.AgentJvm;
import dev.egress.it.TcpServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workload starts another JVM ({@code ProcessBuilder} running {@code java ... Probe}). That
 * child must be under the same policy. Expected: the child's connect to the denied server is denied
 * (the agent follows into child JVMs, e.g. by putting itself into the child's JAVA_TOOL_OPTIONS at
 * process creation, after the workload's own environment edits), and it is recorded.
 */
class ChildProcessTest {
  @TempDir Path dir;

  private static void childDenied(AgentJvm.Result run, TcpServer evil) {
    String label = "CHILDRESULT socket:127.0.0.3:" + evil.port() + " ";
    String line = H.line(run, label);
    assertNotNull(line, "the child printed no result\n" + run.describe());
    assertAll(
        () ->
            assertTrue(
                line.contains(" DENIED ") && line.contains("Egress denied"),
                "the child JVM connected to the denied server: " + line + "\n" + run.describe()),
        () -> assertEquals(0, evil.accepted(), "the child JVM reached the denied server"),
        () -> H.record(run, "127.0.0.3", "not-allowed", "TCP"));
  }

  /**
   * BYPASS today: the agent given on the command line (as Spark's extraJavaOptions do) is not
   * inherited.
   */
  @Test
  void bypass_javaChildOfACommandLineAgentIsUnderThePolicy() {
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      AgentJvm.Result run =
          H.runUser(H.jvm(dir), a("spawn-java", "keep", "socket:127.0.0.3:" + evil.port()));
      childDenied(run, evil);
    }
  }

  /**
   * With the agent in JAVA_TOOL_OPTIONS (the container-wide way), a child that inherits it is
   * controlled.
   */
  @Test
  void javaChildInheritingJavaToolOptionsIsUnderThePolicy() {
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      AgentJvm.Result run =
          H.runUser(
              H.jvm(dir).viaJavaToolOptions(),
              a("spawn-java", "keep", "socket:127.0.0.3:" + evil.port()));
      childDenied(run, evil);
    }
  }

  /** BYPASS today: the workload removes JAVA_TOOL_OPTIONS from the child's environment. */
  @Test
  void bypass_javaChildWithAScrubbedEnvironmentIsUnderThePolicy() {
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      AgentJvm.Result run =
          H.runUser(
              H.jvm(dir).viaJavaToolOptions(),
              a("spawn-java", "scrub", "socket:127.0.0.3:" + evil.port()));
      childDenied(run, evil);
    }
  }
}
