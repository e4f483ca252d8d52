package dev.egress.clientit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egress.it.AgentJvm;
import dev.egress.it.HttpTestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * HTTP clients under the agent: OkHttp 5 (execute and enqueue), Apache HttpClient 5 (classic and
 * async), Netty (NIO and native epoll transports). Two child JVMs (enforce, dry run), each making
 * every client's three requests (allowed name, denied name, denied address literal) against real
 * HTTP servers on loopback.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpClientsTest {
  static final List<String> CLIENTS =
      List.of("okhttp", "okhttp-async", "hc5", "hc5-async", "netty-nio", "netty-epoll");

  private final List<HttpTestServer> servers = new ArrayList<>();
  private final Map<String, HttpTestServer> deniedIpServers = new LinkedHashMap<>();
  private HttpTestServer allowed;
  private HttpTestServer denied;
  private final Map<String, ClientChecks.Case> cases = new LinkedHashMap<>();
  private AgentJvm.Result enforce;
  private int deniedRequestsAfterEnforce;
  private int deniedIpRequestsAfterEnforce;
  private AgentJvm.Result dryRun;

  @BeforeAll
  void runClients() throws Exception {
    allowed = start(ClientHosts.ALLOWED_ADDRESS);
    denied = start(ClientHosts.DENIED_ADDRESS);
    for (String c : CLIENTS) {
      deniedIpServers.put(c, start(ClientHosts.deniedAddress(c)));
      cases.put(
          c,
          new ClientChecks.Case(
              c,
              target(c, ClientHosts.ALLOWED, allowed),
              target(c, ClientHosts.deniedName(c), denied),
              target(c, ClientHosts.deniedAddress(c), deniedIpServers.get(c))));
    }
    Path base = Files.createTempDirectory("client-http");
    enforce = ClientChecks.run(base.resolve("enforce"), false, new ArrayList<>(cases.values()));
    deniedRequestsAfterEnforce = denied.requests();
    deniedIpRequestsAfterEnforce =
        deniedIpServers.values().stream().mapToInt(HttpTestServer::requests).sum();
    dryRun = ClientChecks.run(base.resolve("dry-run"), true, new ArrayList<>(cases.values()));
  }

  private HttpTestServer start(String address) {
    HttpTestServer s = HttpTestServer.start(address);
    servers.add(s);
    return s;
  }

  private static String target(String client, String host, HttpTestServer server) {
    if (client.startsWith("netty")) {
      return client + ":" + host + ":" + server.port();
    }
    return client + ":" + server.url(host, "/");
  }

  @AfterAll
  void stopServers() {
    servers.forEach(HttpTestServer::close);
  }

  @ParameterizedTest
  @ValueSource(strings = {"okhttp", "okhttp-async", "hc5", "hc5-async", "netty-nio", "netty-epoll"})
  void enforcedAllowedWorksDeniedBlockedAndRecordedWithItsCaller(String client) {
    ClientChecks.enforced(
        enforce, cases.get(client), "200 hello from " + ClientHosts.ALLOWED_ADDRESS);
  }

  @Test
  void enforcedNothingReachedTheDeniedServers() {
    assertEquals(
        0,
        deniedRequestsAfterEnforce,
        "no request reached the denied name's server\n" + enforce.describe());
    assertEquals(
        0,
        deniedIpRequestsAfterEnforce,
        "no request reached a denied address\n" + enforce.describe());
  }

  @ParameterizedTest
  @ValueSource(strings = {"okhttp", "okhttp-async", "hc5", "hc5-async", "netty-nio", "netty-epoll"})
  void dryRunLetsItThroughAndRecordsIt(String client) {
    ClientChecks.dryRun(
        dryRun,
        cases.get(client),
        "200 hello from " + ClientHosts.ALLOWED_ADDRESS,
        "200 hello from 127.0.0.");
    assertTrue(
        deniedIpServers.get(client).requests() >= 1,
        client + " reached its denied address in dry run");
  }

  @Test
  void nettyEpollReallyRanOnTheNativeTransport() {
    assertTrue(
        enforce.result(cases.get("netty-epoll").allowed()).detail.contains("EpollSocketChannel"),
        enforce.describe());
  }
}
