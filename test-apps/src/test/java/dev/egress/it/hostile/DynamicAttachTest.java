package dev.egress.it.hostile;

import static dev.egress.it.hostile.H.a;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egress.it.AgentJvm;
import dev.egress.it.ProbeResult;
import dev.egress.it.TcpServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The workload loads an agent of its own (the Attach API) to undo the egress hooks. Self-attach is
 * refused by default ({@code jdk.attach.allowAttachSelf=false}), but a helper process the workload
 * starts can attach to it. {@code EvilAgent} needs no bytecode library: it puts back the JDK's
 * original class files.
 */
class DynamicAttachTest {
  @TempDir Path dir;

  private AgentJvm.Result attackThenConnect(AgentJvm jvm, TcpServer evil, String attack) {
    return H.runUser(jvm, attack, a("socket", "127.0.0.3", evil.port()));
  }

  private static void stillDenied(AgentJvm.Result run, TcpServer evil) {
    String connect = run.results().get(1).label;
    assertAll(
        () -> H.denied(run, connect, "ConnectException"),
        () ->
            assertEquals(
                0, evil.accepted(), "after the attach the workload reached the denied server"),
        () -> H.record(run, "127.0.0.3", "not-allowed", "TCP"));
  }

  @Test
  void selfAttachIsRefusedByDefault() {
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      AgentJvm.Result run = attackThenConnect(H.jvm(dir), evil, "self-attach");
      ProbeResult r = run.result("self-attach");
      assertEquals("ERROR", r.status, run.describe());
      stillDenied(run, evil);
    }
  }

  /**
   * BYPASS today: a helper JVM attaches and loads an agent whose retransform-capable transformer,
   * registered after the egress agent's, hands back the original class files; retransformClasses
   * then drops every hook.
   */
  @Test
  void bypass_helperProcessAttachCannotStripTheHooks() {
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      AgentJvm.Result run =
          attackThenConnect(H.jvm(dir).timeoutSeconds(90), evil, a("helper-attach", "strip"));
      stillDenied(run, evil);
    }
  }

  /**
   * redefineClasses with the original bytes: the egress transformer runs on redefinition too and
   * re-hooks.
   */
  @Test
  void helperProcessAttachRedefiningTheOriginalBytesIsReHooked() {
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      AgentJvm.Result run =
          attackThenConnect(H.jvm(dir).timeoutSeconds(90), evil, a("helper-attach", "redefine"));
      H.ok(run, a("helper-attach", "redefine"));
      stillDenied(run, evil);
    }
  }

  /** Hardening: -XX:+DisableAttachMechanism (costs jcmd/jstack/jmap on the workload). */
  @Test
  void disableAttachMechanismStopsTheHelper() {
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      AgentJvm.Result run =
          attackThenConnect(
              H.jvm(dir).jvmOption("-XX:+DisableAttachMechanism").timeoutSeconds(90),
              evil,
              a("helper-attach", "strip"));
      assertTrue(!run.result(a("helper-attach", "strip")).ok(), run.describe());
      stillDenied(run, evil);
    }
  }

  /** Hardening: -XX:-EnableDynamicAgentLoading (JDK 9+; jcmd and thread dumps keep working). */
  @Test
  void disablingDynamicAgentLoadingStopsTheHelper() {
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      AgentJvm.Result run =
          attackThenConnect(
              H.jvm(dir).jvmOption("-XX:-EnableDynamicAgentLoading").timeoutSeconds(90),
              evil,
              a("helper-attach", "strip"));
      assertTrue(!run.result(a("helper-attach", "strip")).ok(), run.describe());
      stillDenied(run, evil);
    }
  }
}
