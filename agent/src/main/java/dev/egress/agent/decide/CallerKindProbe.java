package dev.egress.agent.decide;

import dev.egress.policy.CallerKind;
import dev.egress.policy.CallerProbe;

/**
 * The policy engine's lazy view of who is asking: stateless, so one instance serves every thread;
 * {@link #kind()} walks the current thread's stack only when the engine calls it.
 */
final class CallerKindProbe implements CallerProbe {
  private final CallerFinder finder;

  CallerKindProbe(CallerFinder finder) {
    this.finder = finder;
  }

  @Override
  public CallerKind kind() {
    return finder.kind();
  }
}
