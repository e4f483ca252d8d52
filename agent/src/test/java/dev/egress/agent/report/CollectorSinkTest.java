package dev.egress.agent.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sink against a loopback HTTP endpoint that answers what the test says: delivery deletes the
 * segment, an outage keeps it for the next attempt, a refusal sets it aside. The end-to-end test
 * with the real collector is in test-apps.
 */
class CollectorSinkTest {
  @TempDir Path spool;
  private HttpServer server;
  private final List<String> received = new CopyOnWriteArrayList<>();
  private final List<String> tokens = new CopyOnWriteArrayList<>();
  private final AtomicInteger status = new AtomicInteger(200);

  private URI start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/v1/violations",
        ex -> {
          tokens.add(ex.getRequestHeaders().getFirst("Authorization"));
          byte[] body = ex.getRequestBody().readAllBytes();
          if ("gzip".equals(ex.getRequestHeaders().getFirst("Content-Encoding"))) {
            body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
          }
          int s = status.get();
          if (s == 200) {
            for (String l : new String(body, StandardCharsets.UTF_8).split("\n")) {
              received.add(l);
            }
          }
          ex.sendResponseHeaders(s, -1);
          ex.close();
        });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static List<ViolationRecord> batch(int n) {
    List<ViolationRecord> b = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      b.add(Records.dns("host" + i + ".example"));
    }
    return b;
  }

  @Test
  void deliveredBatchesLeaveTheSpoolAndCarryTheToken() throws Exception {
    CollectorSink sink = new CollectorSink(start(), "t0k", spool, 1 << 20);
    sink.write(batch(3));
    assertTrue(sink.sendPending());
    assertEquals(3, received.size());
    assertEquals("Bearer t0k", tokens.get(0));
    assertEquals(List.of(), new Spool(spool, 1).pending());
    assertEquals(3, sink.delivered());
  }

  @Test
  void anOutageKeepsTheRecordsForTheNextAttemptExactlyOnce() throws Exception {
    URI url = start();
    CollectorSink sink = new CollectorSink(url, null, spool, 1 << 20);
    status.set(503);
    sink.write(batch(2));
    assertFalse(sink.sendPending());
    assertEquals(1, new Spool(spool, 1).pending().size());
    status.set(200);
    assertTrue(sink.sendPending());
    assertTrue(sink.sendPending());
    assertEquals(2, received.size(), "each record delivered once");
  }

  @Test
  void aCollectorThatIsDownKeepsEverythingSpooled() throws Exception {
    URI url = start();
    server.stop(0);
    server = null;
    CollectorSink sink = new CollectorSink(url, null, spool, 1 << 20);
    sink.write(batch(4));
    assertFalse(sink.sendPending());
    assertEquals(4, Spool.read(new Spool(spool, 1).pending().get(0)).size());
  }

  @Test
  void aRefusedBatchIsSetAsideAndDoesNotBlockTheNext() throws Exception {
    CollectorSink sink = new CollectorSink(start(), null, spool, 1 << 20);
    status.set(400);
    sink.write(batch(1));
    assertTrue(sink.sendPending());
    status.set(200);
    sink.write(batch(2));
    assertTrue(sink.sendPending());
    assertEquals(2, received.size());
    try (var files = java.nio.file.Files.list(spool)) {
      assertEquals(
          1, files.filter(p -> p.getFileName().toString().startsWith("rejected-")).count());
    }
  }
}
