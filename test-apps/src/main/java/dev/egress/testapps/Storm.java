package dev.egress.testapps;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A violation storm: {@code Storm <threads> <connectsPerThread> <host> <port>}. Every thread
 * connects to the destination over and over; prints one line {@code STORM threads=T each=N denied=D
 * ok=O other=X elapsedMs=E heapUsedAfterGc=B firstOther=...}.
 */
public final class Storm {
  private Storm() {}

  public static void main(String[] args) throws Exception {
    int threads = Integer.parseInt(args[0]);
    int each = Integer.parseInt(args[1]);
    String host = args[2];
    int port = Integer.parseInt(args[3]);
    InetSocketAddress target = new InetSocketAddress(host, port);
    AtomicLong denied = new AtomicLong();
    AtomicLong ok = new AtomicLong();
    AtomicLong other = new AtomicLong();
    StringBuffer firstOther = new StringBuffer();
    CountDownLatch start = new CountDownLatch(1);
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      Thread th =
          new Thread(
              () -> {
                try {
                  start.await();
                  for (int i = 0; i < each; i++) {
                    try (Socket s = new Socket()) {
                      s.connect(target, 2000);
                      ok.incrementAndGet();
                    } catch (Exception e) {
                      if (e.getMessage() != null && e.getMessage().startsWith("Egress denied")) {
                        denied.incrementAndGet();
                      } else {
                        if (other.incrementAndGet() == 1) {
                          firstOther.append(e);
                        }
                      }
                    }
                  }
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                } finally {
                  done.countDown();
                }
              },
              "storm-" + t);
      th.start();
    }
    long t0 = System.nanoTime();
    start.countDown();
    done.await();
    long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
    System.gc();
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    System.out.println(
        "STORM threads="
            + threads
            + " each="
            + each
            + " denied="
            + denied.get()
            + " ok="
            + ok.get()
            + " other="
            + other.get()
            + " elapsedMs="
            + elapsedMs
            + " heapUsedAfterGc="
            + heap.getUsed()
            + " firstOther="
            + firstOther.toString().replace('\n', ' '));
  }
}
