package dev.egress.it;

import static dev.egress.it.Records.requireDenied;
import static dev.egress.it.Records.requireOk;
import static dev.egress.it.Records.requireReason;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The policy read from a URL (the collector's policy endpoint): unreachable fails closed with the
 * reason; a new valid version applies without a restart; an invalid one keeps the last valid one.
 */
class PolicyUrlTest {
  @TempDir Path dir;

  private AgentJvm agent(String url) {
    return AgentJvm.in(dir)
        .agentArg("policy", url)
        .agentArg("workspace.id", "1234")
        .agentArg("violations.log", dir.resolve("violations.log").toString())
        .agentArg("internal.cidrs", "127.0.0.1/32")
        .agentArg("policy.refresh", "200ms");
  }

  @Test
  void anEndpointThatDoesNotAnswerFailsClosedWithTheReasonOnce() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      closedPort = s.getLocalPort();
    }
    try (TcpServer allowed = TcpServer.start(Hosts.address(Hosts.ALLOWED))) {
      String tcp = "socket:" + Hosts.ALLOWED + ":" + allowed.port();
      String url = "http://127.0.0.1:" + closedPort + "/v1/policy?workspace_id=1234";
      AgentJvm.Result run = agent(url).probe(tcp).run();
      long reasons = run.stderr.lines().filter(l -> l.contains("policy unavailable")).count();
      assertAll(
          () -> requireDenied(run, tcp, "ConnectException"),
          () -> requireReason(run, Hosts.ALLOWED, "policy-unavailable"),
          () -> assertEquals(0, allowed.accepted(), "nothing may reach the server"),
          () -> assertEquals(1, reasons, run.stderr),
          () -> assertTrue(run.stderr.contains(url), run.stderr),
          () -> assertEquals(0, run.exitCode, run.describe()));
    }
  }

  @Test
  void aNewValidPolicyAppliesWithoutRestartAndAnInvalidOneKeepsTheLastValid() throws Exception {
    // First the restricted set (evil denied), then FULL_ACCESS (evil allowed), then garbage.
    List<String> versions =
        List.of(Policies.standardSet(), Policies.bareFullAccess("open"), "{ not json");
    AtomicInteger served = new AtomicInteger();
    List<String> conditional = new CopyOnWriteArrayList<>();
    HttpServer http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    http.createContext(
        "/v1/policy",
        ex -> {
          int n = served.getAndIncrement();
          String inm = ex.getRequestHeaders().getFirst("If-None-Match");
          if (inm != null) {
            conditional.add(inm);
          }
          // version 0 for the first two requests, then 1 for a while, then 2 (invalid) for good
          int v = n < 2 ? 0 : n < 6 ? 1 : 2;
          byte[] body = versions.get(v).getBytes(StandardCharsets.UTF_8);
          ex.getResponseHeaders().add("ETag", "\"v" + v + "\"");
          if (("\"v" + v + "\"").equals(inm)) {
            ex.sendResponseHeaders(304, -1);
          } else {
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
          }
          ex.close();
        });
    http.start();
    try (TcpServer evil = TcpServer.start("127.0.0.3")) {
      String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/v1/policy";
      String first = "socket:127.0.0.3:" + evil.port();
      String later = "channel:127.0.0.3:" + evil.port();
      String last = "async:127.0.0.3:" + evil.port();
      AgentJvm.Result run = agent(url).probe(first, "sleep:900", later, "sleep:1500", last).run();
      assertAll(
          () -> requireDenied(run, first, "ConnectException"),
          () -> requireOk(run, "channel-open:127.0.0.3:" + evil.port()),
          () -> requireOk(run, "async-future:127.0.0.3:" + evil.port()),
          () ->
              assertTrue(
                  run.stderr.contains("keeping the last valid policy"), "stderr: " + run.stderr),
          () -> assertTrue(!conditional.isEmpty(), "the agent never sent If-None-Match"),
          () -> assertEquals(0, run.exitCode, run.describe()));
    } finally {
      http.stop(0);
    }
  }
}
