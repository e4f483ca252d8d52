package dev.egress.it.hostile;

import static dev.egress.it.hostile.H.a;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.egress.it.AgentJvm;
import dev.egress.it.Hosts;
import dev.egress.it.TcpServer;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storage and metadata decisions depend on who asks (SPEC section 5). User code that runs its
 * connect on a new thread whose stack holds no user frame (a FutureTask around a
 * MethodHandleProxies Callable: JDK frames and a proxy class of the application loader only) looks
 * like platform code. Expected: a thread started by user code carries its creator's requester, as
 * the HttpClient executor and Netty event loops already do. The same holds for tasks of JDK pools:
 * {@code ScheduledThreadPoolExecutor} and {@code ForkJoinPool} (the common pool of {@code
 * CompletableFuture}) carry their submitter's requester.
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
          () ->
              assertEquals(
                  2,
                  H.records(run, r -> r.path("reason").asText().equals("direct-storage-access"))
                      .stream()
                      .mapToLong(r -> r.path("count").asLong())
                      .sum(),
                  "two direct-storage-access denials\n" + run.describe()));
    }
  }

  /** BYPASS today: under FULL_ACCESS the metadata endpoint is reachable from a laundered thread. */
  @Test
  void bypass_metadataLaunderedThroughAJdkOnlyThreadIsDeniedUnderFullAccess() {
    String direct = a("socket", "169.254.169.254", 80);
    String laundered = a("launder", "169.254.169.254", 80);
    AgentJvm.Result run =
        H.runUser(H.jvm(dir, H.fullAccessPolicy(dir)).loopbackOnlyNetns(), direct, laundered);
    assertAll(
        () -> H.denied(run, direct, "ConnectException"),
        () -> H.denied(run, laundered, "ConnectException"),
        () ->
            assertEquals(
                2,
                H.records(run, r -> r.path("reason").asText().equals("metadata-endpoint")).stream()
                    .mapToLong(r -> r.path("count").asLong())
                    .sum(),
                run.describe()));
  }

  static final String HOSTILE_CLASS = "dev.egress.testapps.hostile.Hostile";
  static final String COMMON_PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  /**
   * BYPASS before pool tasks carried their submitter: the same JDK-only task submitted to a
   * scheduled pool ({@code schedule(Callable)}), to the common pool through {@code
   * CompletableFuture.supplyAsync}, through {@code ForkJoinPool.commonPool().submit(Callable)} and
   * through an external {@code fork()}.
   */
  @Test
  void bypass_directStorageAccessLaunderedThroughPoolTasksIsDenied() {
    try (TcpServer lake = TcpServer.start(Hosts.address(Hosts.LAKEPROD))) {
      List<String> actions =
          toLakeprod(lake, "launder-scheduled", "launder-async", "launder-fjp", "launder-fork");
      // parallelism 2: with 1 (a 2-core machine) supplyAsync would start a thread per task instead
      AgentJvm.Result run =
          H.runUser(H.jvm(dir).sysProp(COMMON_PARALLELISM, "2"), actions.toArray(new String[0]));
      assertAll(
          () -> assertAll(actions.stream().map(label -> () -> H.blocked(run, label))),
          () ->
              assertEquals(
                  0,
                  lake.accepted(),
                  "user code reached storage through a pool\n" + run.describe()),
          () -> assertEquals(actions.size(), userStorageDenials(run), run.describe()));
    }
  }

  /**
   * A pool's worker serves whoever submits next: platform code that submits the same tasks after
   * user code did, to the same pools (one scheduled pool with one thread, the common pool with one
   * worker), gets platform treatment (storage of the policy allowed), and user code stays denied.
   * The user code submits from a thread that carries it, which is also the thread that starts the
   * workers.
   */
  @Test
  void aPoolWorkerDoesNotKeepAnEarlierRequester() {
    try (TcpServer lake = TcpServer.start(Hosts.address(Hosts.LAKEPROD))) {
      List<String> actions = toLakeprod(lake, "launder-scheduled", "launder-fjp", "launder-fork");
      AgentJvm.Result run =
          H.jvm(dir)
              .sysProp(COMMON_PARALLELISM, "1")
              .main("dev.egress.testapps.hostile.PoolReuse", actions.toArray(new String[0]))
              .run();
      assertAll(
          () -> assertAll(actions.stream().map(a -> () -> H.blocked(run, a + "|user"))),
          () -> assertAll(actions.stream().map(a -> () -> H.ok(run, a + "|platform"))),
          () ->
              assertAll(
                  actions.stream()
                      .map(
                          a ->
                              () ->
                                  assertTrue(
                                      run.result(a + "|platform").detail.endsWith("pool-size=1"),
                                      "one common-pool worker: " + run.describe()))),
          () ->
              assertEquals(
                  actions.size(), lake.accepted(), "platform code's connects\n" + run.describe()),
          () -> assertEquals(actions.size(), userStorageDenials(run), run.describe()));
    }
  }

  /** One action of each kind, to the {@code lakeprod} storage stand-in. */
  private static List<String> toLakeprod(TcpServer lake, String... kinds) {
    return java.util.Arrays.stream(kinds)
        .map(k -> a(k, Hosts.LAKEPROD, lake.port()))
        .collect(Collectors.toList());
  }

  /** The direct-storage-access denials, each of which must name the user class as its caller. */
  private static long userStorageDenials(AgentJvm.Result run) {
    List<JsonNode> denials =
        H.records(run, r -> r.path("reason").asText().equals("direct-storage-access"));
    for (JsonNode r : denials) {
      H.userCaller(r);
      assertEquals(HOSTILE_CLASS, r.path("caller").path("class").asText(), r.toString());
    }
    return denials.stream().mapToLong(r -> r.path("count").asLong()).sum();
  }
}
