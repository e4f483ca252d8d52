package dev.egress.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Child-JVM workloads of the harness, one per first argument; each prints {@code RESULT <value>}
 * lines the harness reads. Run with and without the agent.
 */
public final class Workloads {
  public static void main(String[] args) throws Exception {
    switch (args[0]) {
      case "http":
        http(args[1], Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        break;
      case "lookup":
        lookup(args[1], Integer.parseInt(args[2]));
        break;
      case "storm":
        storm(
            args[1],
            Integer.parseInt(args[2]),
            Integer.parseInt(args[3]),
            Integer.parseInt(args[4]));
        break;
      case "footprint":
        footprint(args[1], Integer.parseInt(args[2]));
        break;
      default:
        throw new IllegalArgumentException(args[0]);
    }
  }

  /** HttpClient GETs, each on a new connection (the server closes it): ns per request. */
  private static void http(String url, int warmup, int measured) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).build();
    for (int i = 0; i < warmup; i++) {
      client.send(request, HttpResponse.BodyHandlers.discarding());
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < measured; i++) {
      client.send(request, HttpResponse.BodyHandlers.discarding());
    }
    System.out.println("RESULT " + (System.nanoTime() - t0) / measured);
  }

  /** Name lookups of an allowed name through the resolver (cache off): ns per lookup. */
  private static void lookup(String name, int n) throws Exception {
    for (int i = 0; i < n / 10; i++) {
      InetAddress.getAllByName(name);
    }
    long t0 = System.nanoTime();
    for (int i = 0; i < n; i++) {
      InetAddress.getAllByName(name);
    }
    System.out.println("RESULT " + (System.nanoTime() - t0) / n);
  }

  /** A storm of denied connects from several threads: denials per second, heap after GC. */
  private static void storm(String host, int port, int threads, int perThread) throws Exception {
    InetSocketAddress target =
        new InetSocketAddress(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 3}), port);
    AtomicLong denied = new AtomicLong();
    CountDownLatch done = new CountDownLatch(threads);
    long t0 = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      new Thread(
              () -> {
                for (int i = 0; i < perThread; i++) {
                  try (Socket s = new Socket()) {
                    s.connect(target, 1000);
                  } catch (Exception e) {
                    if (e.getMessage() != null && e.getMessage().startsWith("Egress denied")) {
                      denied.incrementAndGet();
                    }
                  }
                }
                done.countDown();
              })
          .start();
    }
    done.await();
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.gc();
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    System.out.println(
        "RESULT denied="
            + denied.get()
            + " per_second="
            + (long) (denied.get() / seconds)
            + " heap_after_gc_mb="
            + heap / (1024 * 1024));
  }

  /** Heap and metaspace after one allowed connect (the policy is loaded by then). */
  private static void footprint(String host, int port) throws Exception {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(host, port), 1000);
    } catch (Exception ignored) {
      // the server may be gone; the decision (and so the policy load) happened
    }
    Thread.sleep(500);
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    long metaspace = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getName().equals("Metaspace")) {
        metaspace = pool.getUsage().getUsed();
      }
    }
    System.out.println("RESULT heap=" + heap + " metaspace=" + metaspace);
  }
}
