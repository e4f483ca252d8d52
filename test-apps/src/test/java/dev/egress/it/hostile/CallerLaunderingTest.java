package dev.egress.it.hostile;

import static dev.egress.it.hostile.H.a;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.egress.it.AgentJvm;
import dev.egress.it.Hosts;
import dev.egress.it.TcpServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage and metadata decisions depend on who asks (SPEC section 5). User code that runs its connect on a
 * new thread whose stack holds no user frame (a FutureTask around a MethodHandleProxies Callable: JDK frames
 * and a proxy class of the application loader only) looks like platform code. Expected: a thread started by
 * user code carries its creator's requester, as the HttpClient executor and Netty event loops already do.
 */
class CallerLaunderingTest {
  @TempDir Path dir;

  /** BYPASS today: direct storage access laundered through a JDK-only thread. */
  @Test
  void bypass_directStorageAccessLaunderedThroughAJdkOnlyThreadIsDenied() {
    try (TcpServer lake = TcpServer.start(Hosts.address(Hosts.LAKEPROD))) {
      String direct = a("socket", Hosts.LAKEPROD, lake.port());
      String laundered = a("launder", Hosts.LAKEPROD, lake.port());
      AgentJvm.Result run = H.runUser(H.jvm(dir), direct, laundered);
      assertAll(
          () -> H.blocked(run, direct),
          () -> H.blocked(run, laundered),
          () -> assertEquals(0, lake.accepted(), "user code reached storage directly"),
          () -> assertEquals(2, H.records(run,
              r -> r.path("reason").asText().equals("direct-storage-access")).stream()
              .mapToLong(r -> r.path("count").asLong()).sum(), "two direct-storage-access denials\n" + run.describe()));
    }
  }

  /** BYPASS today: under FULL_ACCESS the metadata endpoint is reachable from a laundered thread. */
  @Test
  void bypass_metadataLaunderedThroughAJdkOnlyThreadIsDeniedUnderFullAccess() {
    String direct = a("socket", "169.254.169.254", 80);
    String laundered = a("launder", "169.254.169.254", 80);
    AgentJvm.Result run = H.runUser(H.jvm(dir, H.fullAccessPolicy(dir)).loopbackOnlyNetns(), direct, laundered);
    assertAll(
        () -> H.denied(run, direct, "ConnectException"),
        () -> H.denied(run, laundered, "ConnectException"),
        () -> assertEquals(2, H.records(run, r -> r.path("reason").asText().equals("metadata-endpoint")).stream()
            .mapToLong(r -> r.path("count").asLong()).sum(), run.describe()));
  }
}
