package dev.egress.it.storage;

import static dev.egress.it.storage.StorageWorld.LAKEPROD_BLOB;
import static dev.egress.it.storage.StorageWorld.LAKEPROD_DFS;
import static dev.egress.it.storage.StorageWorld.NOTEBOOK;
import static dev.egress.it.storage.StorageWorld.OTHERLAKE_BLOB;
import static dev.egress.it.storage.StorageWorld.OTHERLAKE_DFS;
import static dev.egress.it.storage.StorageWorld.PLATFORM_MAIN;
import static dev.egress.it.storage.StorageWorld.REPL;
import static dev.egress.it.storage.StorageWorld.USERLAKE_BLOB;
import static dev.egress.it.storage.StorageWorld.azureLocation;
import static dev.egress.it.storage.StorageWorld.denied;
import static dev.egress.it.storage.StorageWorld.ok;
import static dev.egress.it.storage.StorageWorld.requireCallerOfAll;
import static dev.egress.it.storage.StorageWorld.requireControl;
import static dev.egress.it.storage.StorageWorld.requireNoRecordsNaming;
import static dev.egress.it.storage.StorageWorld.requireServed;
import static dev.egress.it.storage.StorageWorld.requireStorageViolation;
import static dev.egress.it.storage.StorageWorld.requireUserCodeOfAll;
import static dev.egress.it.storage.StorageWorld.run;
import static org.junit.jupiter.api.Assertions.assertAll;

import dev.egress.it.AgentJvm;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Azure Blob SDK (azure-storage-blob, BlobClient.downloadContent) on its default transport,
 * azure-core-http-netty: Reactor Netty on epoll (the connect is Netty's native socket connect on a
 * reactor-http-epoll thread, never java.net), with the JDK resolver (see Clients.azureTransport).
 * Each test runs once enforced and once in dry-run ({@code mode=dry-run}).
 */
class AzureBlobStorageTest {
  @TempDir Path dir;

  private static boolean enforce(String mode) {
    return mode.equals("enforce");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"enforce", "dry-run"})
  void notebookCallingTheSdkDirectlyForListedStorageIsDirectStorageAccess(String mode) {
    String label = "direct:azure:" + LAKEPROD_DFS;
    AgentJvm.Result run = run(StorageWorld.jvm(dir, mode).main(REPL, label));
    if (enforce(mode)) {
      denied(run, label);
      requireServed(run, LAKEPROD_DFS, "/data/direct-azure.bin", 0);
    } else {
      ok(run, label);
      requireServed(run, LAKEPROD_DFS, "/data/direct-azure.bin", 1);
    }
    requireStorageViolation(
        run, mode, LAKEPROD_DFS, "direct-storage-access", azureLocation(LAKEPROD_DFS));
    requireCallerOfAll(run, LAKEPROD_DFS, NOTEBOOK, true);
    if (!enforce(mode)) {
      StorageWorld.requireConnectJudged(run, LAKEPROD_DFS, NOTEBOOK);
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"enforce", "dry-run"})
  void gatewayToListedStorageIsAllowedFromNotebookAndFromPlatformCode(String mode) {
    String[] allowed = {"gateway:azure:" + LAKEPROD_DFS, "gateway:azure:" + LAKEPROD_BLOB};
    // the control, last: unlisted storage straight from the SDK (notebook: direct-storage-access;
    // platform main: storage-not-allowed), so that the run proves the agent judged it
    String control = "direct:azure:" + OTHERLAKE_BLOB;
    String[] actions = {allowed[0], allowed[1], control};
    AgentJvm.Result notebook = run(StorageWorld.jvm(dir.resolve("nb"), mode).main(REPL, actions));
    AgentJvm.Result platform =
        run(StorageWorld.jvm(dir.resolve("pl"), mode).main(PLATFORM_MAIN, actions));
    assertAll(
        () -> ok(notebook, allowed[0]),
        () -> ok(notebook, allowed[1]),
        () -> requireNoRecordsNaming(notebook, "lakeprod"),
        () -> requireServed(notebook, LAKEPROD_DFS, "/data/gateway-azure.bin", 1),
        () -> requireServed(notebook, LAKEPROD_BLOB, "/data/gateway-azure.bin", 1),
        () -> requireControl(notebook, mode, control, OTHERLAKE_BLOB),
        () -> ok(platform, allowed[0]),
        () -> ok(platform, allowed[1]),
        () -> requireNoRecordsNaming(platform, "lakeprod"),
        () -> requireServed(platform, LAKEPROD_DFS, "/data/gateway-azure.bin", 1),
        () -> requireServed(platform, LAKEPROD_BLOB, "/data/gateway-azure.bin", 1),
        () -> requireControl(platform, mode, control, OTHERLAKE_BLOB));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"enforce", "dry-run"})
  void gatewayToUnlistedStorageIsStorageNotAllowed(String mode) {
    String fromPlatform = "gateway:azure:" + OTHERLAKE_BLOB;
    String fromNotebook = "gateway:azure:" + OTHERLAKE_DFS;
    AgentJvm.Result platform =
        run(StorageWorld.jvm(dir.resolve("pl"), mode).main(PLATFORM_MAIN, fromPlatform));
    AgentJvm.Result notebook =
        run(StorageWorld.jvm(dir.resolve("nb"), mode).main(REPL, fromNotebook));
    if (enforce(mode)) {
      assertAll(() -> denied(platform, fromPlatform), () -> denied(notebook, fromNotebook));
    } else {
      assertAll(() -> ok(platform, fromPlatform), () -> ok(notebook, fromNotebook));
    }
    int expected = enforce(mode) ? 0 : 1;
    requireServed(platform, OTHERLAKE_BLOB, "/data/gateway-azure.bin", expected);
    requireServed(notebook, OTHERLAKE_DFS, "/data/gateway-azure.bin", expected);
    requireStorageViolation(
        platform, mode, OTHERLAKE_BLOB, "storage-not-allowed", azureLocation(OTHERLAKE_BLOB));
    // no user code on the stack: SPEC section 6 names the first frame that is neither JDK nor agent
    // code, i.e. a library frame (which one depends on the transport), so only user_code is checked
    requireUserCodeOfAll(platform, OTHERLAKE_BLOB, false);
    requireStorageViolation(
        notebook, mode, OTHERLAKE_DFS, "storage-not-allowed", azureLocation(OTHERLAKE_DFS));
    // SPEC section 6: where the stack holds user code, the caller is the outermost user frame. In
    // dry run the request also reaches Reactor Netty's HTTP encoder, on the event loop that
    // connected: that check is paired with the connect's record (one TCP record), so every record
    // names the notebook in both modes.
    requireCallerOfAll(notebook, OTHERLAKE_DFS, NOTEBOOK, true);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"enforce", "dry-run"})
  void userCodeMayReachStorageWhoseExactFqdnIsAnAllowedInternetDestination(String mode) {
    String label = "direct:azure:" + USERLAKE_BLOB;
    String control = "direct:azure:" + LAKEPROD_DFS; // listed storage, but not by its FQDN
    AgentJvm.Result run = run(StorageWorld.jvm(dir, mode).main(REPL, label, control));
    ok(run, label);
    requireServed(run, USERLAKE_BLOB, "/data/direct-azure.bin", 1);
    requireNoRecordsNaming(run, USERLAKE_BLOB);
    StorageWorld.requireControl(run, mode, control, LAKEPROD_DFS);
  }
}
