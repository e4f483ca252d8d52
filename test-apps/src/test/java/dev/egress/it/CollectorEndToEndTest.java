package dev.egress.it;

import static dev.egress.it.Records.requireDenied;
import static dev.egress.it.Records.requireOk;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent with the real collector, both as real processes on loopback: records delivered exactly
 * once across a collector kill -9 and restart, spooled records replayed by the next JVM, token
 * scoping, and the policy served by the collector reloaded without a restart.
 */
class CollectorEndToEndTest {
  @TempDir Path dir;

  private AgentJvm agent(CollectorProcess collector, String token) {
    Path policy = Policies.write(dir, "policy.json", Policies.standardSet());
    return AgentJvm.standard(dir, policy)
        .agentArg("collector.url", collector.url())
        .agentArg("collector.token", token)
        .agentArg("collector.spool", dir.resolve("spool").toString());
  }

  /** {@code n} denied lookups of distinct attacker-chosen names: {@code n} distinct records. */
  private static List<String> exfiltration(String prefix, int n) {
    List<String> actions = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      actions.add("lookup:" + prefix + i + ".exfil.example.net");
    }
    return actions;
  }

  private static Set<String> localEventIds(AgentJvm.Result run) {
    return run.records().stream().map(r -> r.path("event_id").asText()).collect(Collectors.toSet());
  }

  @Test
  void everyRecordIsStoredExactlyOnceAcrossACollectorKillAndRestart() throws Exception {
    try (CollectorProcess collector = CollectorProcess.create(dir.resolve("collector")).start()) {
      List<String> actions = new ArrayList<>(exfiltration("a", 10));
      actions.add("sleep:1500");
      actions.addAll(exfiltration("b", 10));
      actions.add("sleep:7000");
      AgentJvm jvm =
          agent(collector, CollectorProcess.WS1234_TOKEN).probe(actions.toArray(new String[0]));
      CompletableFuture<AgentJvm.Result> running = CompletableFuture.supplyAsync(jvm::run);
      Thread.sleep(1500); // the first ten are out (or on their way) when the collector dies
      collector.kill9();
      Thread.sleep(700);
      collector.start();
      AgentJvm.Result run = running.get();
      Set<String> local = localEventIds(run);
      List<String> stored = collector.awaitRecords(local.size(), 15);
      assertAll(
          () -> assertEquals(20, local.size(), run.describe()),
          () ->
              assertEquals(
                  stored.size(), new HashSet<>(stored).size(), "a record was stored twice"),
          () ->
              assertEquals(
                  local, new HashSet<>(stored), "the collector holds exactly the local log"));
    }
  }

  @Test
  void recordsSpooledWhileTheCollectorWasDownAreSentByTheNextJvm() throws Exception {
    try (CollectorProcess collector = CollectorProcess.create(dir.resolve("collector"))) {
      // The collector is not running: the first JVM can only spool.
      AgentJvm.Result first =
          agent(collector, CollectorProcess.WS1234_TOKEN)
              .probe(exfiltration("c", 5).toArray(new String[0]))
              .run();
      try (var spooled = Files.list(dir.resolve("spool"))) {
        assertTrue(spooled.findAny().isPresent(), "nothing was spooled\n" + first.describe());
      }
      collector.start();
      agent(collector, CollectorProcess.WS1234_TOKEN).probe("sleep:2500").run();
      List<String> stored = collector.awaitRecords(5, 10);
      assertEquals(localEventIds(first), new HashSet<>(stored), first.describe());
    }
  }

  @Test
  void aTokenOfAnotherWorkspaceCannotWriteTheseRecords() throws Exception {
    try (CollectorProcess collector = CollectorProcess.create(dir.resolve("collector")).start()) {
      AgentJvm.Result run =
          agent(collector, CollectorProcess.WS5678_TOKEN)
              .probe("lookup:d0.exfil.example.net", "sleep:1500")
              .run();
      List<Path> rejected;
      try (var files = Files.list(dir.resolve("spool"))) {
        rejected =
            files
                .filter(p -> p.getFileName().toString().startsWith("rejected-"))
                .collect(Collectors.toList());
      }
      assertAll(
          () -> assertEquals(List.of(), collector.eventIds()),
          () -> assertTrue(run.stderr.contains("HTTP 403"), run.stderr),
          () -> assertEquals(1, rejected.size(), "the refused batch is kept aside: " + rejected));
    }
  }

  @Test
  void thePolicyServedByTheCollectorIsReloadedWithoutRestartAndAnInvalidEditIsNotApplied()
      throws Exception {
    try (CollectorProcess collector = CollectorProcess.create(dir.resolve("collector"));
        TcpServer evil = TcpServer.start("127.0.0.3")) {
      Path served = collector.policies.resolve("account.json");
      Files.writeString(served, Policies.standardSet());
      collector.start();
      String before = "socket:127.0.0.3:" + evil.port();
      String after = "channel-open:127.0.0.3:" + evil.port();
      String afterInvalid = "async-future:127.0.0.3:" + evil.port();
      AgentJvm jvm =
          AgentJvm.in(dir)
              .agentArg("policy", collector.url() + "/v1/policy?workspace_id=1234")
              .agentArg("collector.token", CollectorProcess.WS1234_TOKEN)
              .agentArg("workspace.id", "1234")
              .agentArg("violations.log", dir.resolve("violations.log").toString())
              .agentArg("internal.cidrs", "127.0.0.1/32")
              .agentArg("policy.refresh", "300ms")
              .agentArg("policy.cache", dir.resolve("policy-cache.json").toString())
              .probe(
                  before,
                  "sleep:4000",
                  "channel:127.0.0.3:" + evil.port(),
                  "sleep:4000",
                  "async:127.0.0.3:" + evil.port());
      CompletableFuture<AgentJvm.Result> running = CompletableFuture.supplyAsync(jvm::run);
      Thread.sleep(1500);
      Files.writeString(served, Policies.set(true, "").replace("RESTRICTED_ACCESS", "FULL_ACCESS"));
      Thread.sleep(4000);
      Files.writeString(served, "{ \"network_policies\": [ { broken");
      AgentJvm.Result run = running.get();
      assertAll(
          () -> requireDenied(run, before, "ConnectException"),
          () -> requireOk(run, after),
          () -> requireOk(run, afterInvalid),
          () ->
              assertTrue(
                  Files.exists(dir.resolve("policy-cache.json")), "the valid policy is cached"));
    }
  }
}
