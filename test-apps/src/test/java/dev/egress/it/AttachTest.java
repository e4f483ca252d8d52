package dev.egress.it;

import static dev.egress.it.Records.requireDenied;
import static dev.egress.it.Records.requireOk;
import static dev.egress.it.Records.requireReason;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SPEC section 2: dynamic attach to a running JVM (Agent-Class) works too. */
class AttachTest {
  @TempDir Path dir;

  @Test
  void agentLoadedIntoARunningJvmDecidesItsConnections() throws Exception {
    try (TcpServer evil = TcpServer.start("127.0.0.3");
        TcpServer allowed = TcpServer.start(Hosts.address(Hosts.ALLOWED))) {
      Path policy = Policies.write(dir, "policy.json", Policies.standardSet());
      String agentArgs =
          "policy="
              + policy
              + ",workspace.id=1234,violations.log="
              + dir.resolve("violations.log")
              + ",internal.cidrs=127.0.0.1/32";
      String d = "socket:127.0.0.3:" + evil.port();
      String l = "lookup:" + Hosts.EVIL;
      String a = "socket:" + Hosts.ALLOWED + ":" + allowed.port();
      AgentJvm.Result run =
          AgentJvm.in(dir)
              .withoutAgent()
              .sysProp("jdk.attach.allowAttachSelf", "true")
              .main(
                  "dev.egress.testapps.Attach",
                  AgentJvm.agentJarPath().toString(),
                  agentArgs,
                  d,
                  l,
                  a)
              .run();
      assertTrue(run.stdout.contains("ATTACHED"), run.describe());
      requireDenied(run, d, "ConnectException");
      requireDenied(run, l, "UnknownHostException");
      requireOk(run, a);
      assertEquals(0, evil.accepted());
      requireReason(run, "127.0.0.3", "not-allowed");
      requireReason(run, Hosts.EVIL, "not-allowed");
    }
  }
}
