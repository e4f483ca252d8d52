package dev.egress.bench.walk;

/**
 * Platform-library frames (application class loader, not a gateway): the caller finder passes over
 * them, so a walk that starts above {@code n} of them must look at every one before it reaches the
 * frame that decides.
 */
public final class PlatformFrames {
  private PlatformFrames() {}

  public static Object descend(int n, Task top) {
    if (n <= 0) {
      return top.run();
    }
    Object r = descend(n - 1, top);
    return r; // not a tail call: the frame stays on the stack
  }
}
