package dev.egress.clientit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egress.clientapps.user.ClientProbe;
import dev.egress.it.AgentJvm;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * gRPC through grpc-netty-shaded (its relocated Netty: {@code io.grpc.netty.shaded.io.netty}): a
 * plaintext unary call on the default transport (native epoll where available, so the agent's hook
 * on the shaded {@code io.netty.channel.unix.Socket}) and on the shaded NIO transport, against real
 * gRPC servers on loopback. The name is resolved by gRPC's resolver on its own executor, the
 * connect runs on the event loop: the record must still name the code that made the call.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcTest {
  static final List<String> CLIENTS = List.of("grpc", "grpc-nio");

  private final List<Server> servers = new ArrayList<>();
  private final Map<String, AtomicInteger> calls = new LinkedHashMap<>();
  private final Map<String, ClientChecks.Case> cases = new LinkedHashMap<>();
  private AgentJvm.Result enforce;
  private int deniedCallsAfterEnforce;
  private AgentJvm.Result dryRun;

  @BeforeAll
  void runClients() throws Exception {
    int allowed = start(ClientHosts.ALLOWED_ADDRESS);
    int denied = start(ClientHosts.DENIED_ADDRESS);
    for (String c : CLIENTS) {
      int ipPort = start(ClientHosts.deniedAddress(c));
      cases.put(
          c,
          new ClientChecks.Case(
              c,
              c + ":" + ClientHosts.ALLOWED + ":" + allowed,
              c + ":" + ClientHosts.deniedName(c) + ":" + denied,
              c + ":" + ClientHosts.deniedAddress(c) + ":" + ipPort));
    }
    Path base = Files.createTempDirectory("client-grpc");
    enforce = ClientChecks.run(base.resolve("enforce"), false, new ArrayList<>(cases.values()));
    deniedCallsAfterEnforce = deniedCalls();
    dryRun = ClientChecks.run(base.resolve("dry-run"), true, new ArrayList<>(cases.values()));
  }

  private int deniedCalls() {
    return calls.entrySet().stream()
        .filter(e -> !e.getKey().equals(ClientHosts.ALLOWED_ADDRESS))
        .mapToInt(e -> e.getValue().get())
        .sum();
  }

  /** Starts an echo server on one loopback address; returns its port. */
  private int start(String address) throws Exception {
    AtomicInteger count = new AtomicInteger();
    calls.put(address, count);
    ServerServiceDefinition echo =
        ServerServiceDefinition.builder("egress.Echo")
            .addMethod(
                ClientProbe.SAY,
                ServerCalls.asyncUnaryCall(
                    (request, response) -> {
                      count.incrementAndGet();
                      response.onNext("hello from " + address + " to " + request);
                      response.onCompleted();
                    }))
            .build();
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress(InetAddress.getByName(address), 0))
            .addService(echo)
            .build()
            .start();
    servers.add(server);
    return server.getPort();
  }

  @AfterAll
  void stopServers() throws InterruptedException {
    for (Server s : servers) {
      s.shutdownNow();
    }
    for (Server s : servers) {
      s.awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "grpc-nio"})
  void enforcedAllowedWorksDeniedBlockedAndRecordedWithItsCaller(String client) {
    ClientChecks.enforced(
        enforce, cases.get(client), "hello from " + ClientHosts.ALLOWED_ADDRESS + " to probe");
  }

  @Test
  void enforcedNoCallReachedADeniedServer() {
    assertEquals(0, deniedCallsAfterEnforce, enforce.describe());
  }

  @ParameterizedTest
  @ValueSource(strings = {"grpc", "grpc-nio"})
  void dryRunLetsItThroughAndRecordsIt(String client) {
    ClientChecks.dryRun(
        dryRun,
        cases.get(client),
        "hello from " + ClientHosts.ALLOWED_ADDRESS + " to probe",
        "to probe");
    assertTrue(calls.get(ClientHosts.deniedAddress(client)).get() >= 1, dryRun.describe());
  }

  @Test
  void defaultTransportIsTheShadedNativeEpoll() {
    assertTrue(
        enforce.result(cases.get("grpc").allowed()).detail.contains("epoll available: true"),
        "grpc-netty-shaded's native epoll must be what the default call used\n"
            + enforce.describe());
  }
}
