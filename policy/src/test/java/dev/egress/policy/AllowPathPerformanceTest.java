package dev.egress.policy;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The allow path runs on every connect: with 100,000 destinations it must neither allocate nor be
 * slow.
 */
class AllowPathPerformanceTest {

  @Test
  void allowDecisionsDoNotAllocateAndAreFast() throws Exception {
    List<String> allowed = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      allowed.add(
          i % 10 == 0
              ? "*.zone-" + i + ".example.com"
              : "host-" + i + ".example-" + (i % 97) + ".com");
    }
    NetworkPolicy np =
        new NetworkPolicy(
            "big",
            RestrictionMode.RESTRICTED_ACCESS,
            allowed,
            List.of("*.bad.example"),
            List.of(StorageDestination.azure("lakeprod", "dfs")),
            Set.of(),
            null,
            Set.of());
    PolicyDocument doc = new PolicyDocument("a", List.of(np), List.of(), null, false);
    EffectivePolicy p =
        PolicyEngine.compile(doc)
            .select(
                new Selection(
                    1L,
                    Product.GENERAL_COMPUTE,
                    ModeOverride.NONE,
                    CidrSet.parse(List.of("127.0.0.0/8")),
                    Set.of("localhost")));
    String exact = "host-99999.example-89.com";
    String wildcard = "deep.below.zone-99990.example.com";
    String storage = "lakeprod.dfs.core.windows.net";
    String[] names = {exact};
    InetAddress addr = InetAddress.getByName("93.184.216.34");
    CallerProbe platform = () -> CallerKind.PLATFORM_MEDIATED;

    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    int rounds = 200_000;
    for (int i = 0; i < rounds; i++) { // warm-up so that the JIT has compiled the path
      run(p, exact, wildcard, storage, names, addr, platform);
    }
    long before = mx.getThreadAllocatedBytes(tid);
    long t0 = System.nanoTime();
    for (int i = 0; i < rounds; i++) {
      run(p, exact, wildcard, storage, names, addr, platform);
    }
    long nanos = System.nanoTime() - t0;
    long allocated = mx.getThreadAllocatedBytes(tid) - before;
    double perDecision = nanos / (rounds * 4.0);
    // A few hundred bytes of noise (the measurement itself) are tolerated; one allocation per call
    // would be MBs.
    assertTrue(
        allocated < 64 * 1024,
        "allow path allocated " + allocated + " bytes over " + rounds * 4 + " calls");
    // Well under 100 ns on a quiet machine; the bound is loose because the build shares two cores.
    System.out.printf(
        "allow decision: %.1f ns, %d bytes allocated over %d calls%n",
        perDecision, allocated, rounds * 4);
    assertTrue(perDecision < 1000, "allow decision took " + perDecision + " ns");
  }

  private static void run(
      EffectivePolicy p,
      String exact,
      String wildcard,
      String storage,
      String[] names,
      InetAddress addr,
      CallerProbe platform) {
    assertSame(Decision.ALLOW, p.decideName(exact, 443, Protocol.TCP, null));
    assertSame(Decision.ALLOW, p.decideName(wildcard, 443, Protocol.TCP, null));
    assertSame(Decision.ALLOW, p.decideName(storage, 443, Protocol.TCP, platform));
    assertSame(Decision.ALLOW, p.decideAddress(addr, names, null, 443, Protocol.TCP, null));
  }
}
