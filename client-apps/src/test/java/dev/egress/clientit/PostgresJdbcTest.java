package dev.egress.clientit;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egress.it.AgentJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The PostgreSQL JDBC driver against a real PostgreSQL server on loopback. The allowed destination
 * is the workspace's Unity Catalog connection host ({@code crm.db.example.com}, policy
 * "restricted"); the denied ones a name not in the policy and an address literal. One cluster
 * listens on all three addresses. Skipped, with the reason, where the PostgreSQL server binaries
 * are missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresJdbcTest {
  private PgServer pg;
  private ClientChecks.Case pgCase;
  private AgentJvm.Result enforce;
  private AgentJvm.Result dryRun;

  @BeforeAll
  void startServerAndRunClients() throws Exception {
    String why = PgServer.whyUnavailable();
    Assumptions.assumeTrue(why == null, why);
    pg =
        PgServer.start(
            ClientHosts.UC_CONNECTION_ADDRESS,
            ClientHosts.DENIED_ADDRESS,
            ClientHosts.deniedAddress("pg"));
    pgCase =
        new ClientChecks.Case(
            "pg",
            "pg:" + ClientHosts.UC_CONNECTION + ":" + pg.port(),
            "pg:" + ClientHosts.deniedName("pg") + ":" + pg.port(),
            "pg:" + ClientHosts.deniedAddress("pg") + ":" + pg.port());
    Path base = Files.createTempDirectory("client-pg");
    enforce = ClientChecks.run(base.resolve("enforce"), false, List.of(pgCase));
    dryRun = ClientChecks.run(base.resolve("dry-run"), true, List.of(pgCase));
  }

  @AfterAll
  void stopServer() {
    if (pg != null) {
      pg.close();
    }
  }

  @Test
  void enforcedQueryToTheUcConnectionWorksDeniedBlockedAndRecordedWithItsCaller() {
    ClientChecks.enforced(enforce, pgCase, "at " + ClientHosts.UC_CONNECTION_ADDRESS + " sum=42");
  }

  @Test
  void dryRunLetsItThroughAndRecordsIt() {
    ClientChecks.dryRun(
        dryRun, pgCase, "at " + ClientHosts.UC_CONNECTION_ADDRESS + " sum=42", " sum=42");
    assertTrue(
        dryRun.result(pgCase.deniedIp()).detail.contains("at " + ClientHosts.deniedAddress("pg")),
        dryRun.describe());
  }
}
