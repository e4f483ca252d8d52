package dev.egress.it;

import java.util.concurrent.TimeUnit;

/** Whether this machine can run a child in a loopback-only network namespace. */
final class Netns {
  private static Boolean available;

  private Netns() {}

  static synchronized boolean available() {
    if (available == null) {
      available = probe();
    }
    return available;
  }

  private static boolean probe() {
    try {
      // Prove that inside the namespace only loopback exists: 'ip -o link' must list lo alone.
      Process p =
          new ProcessBuilder(
                  "unshare",
                  "--net",
                  "sh",
                  "-c",
                  "ip link set lo up && ip -o link show | grep -v ': lo:' | wc -l")
              .redirectErrorStream(true)
              .start();
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      String out = new String(p.getInputStream().readAllBytes()).trim();
      return p.exitValue() == 0 && out.equals("0");
    } catch (Exception e) {
      return false;
    }
  }
}
