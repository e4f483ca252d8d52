package dev.egress.agent.decide;

import dev.egress.policy.EffectivePolicy;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The policy in force: one volatile reference, swapped whole on reload. Until the first policy is
 * loaded (in the background, so that start-up stays cheap) a deciding thread waits for it, up to a
 * limit; past the limit it gets the fail-closed policy.
 */
public final class PolicyHolder {
  private final CountDownLatch firstLoad = new CountDownLatch(1);
  private final long maxWaitMillis;
  private final Supplier<EffectivePolicy> failClosed;
  private volatile EffectivePolicy current;

  public PolicyHolder(long maxWaitMillis, Supplier<EffectivePolicy> failClosed) {
    this.maxWaitMillis = maxWaitMillis;
    this.failClosed = failClosed;
  }

  public EffectivePolicy current() {
    EffectivePolicy p = current;
    return p != null ? p : awaitFirst();
  }

  public void set(EffectivePolicy policy) {
    current = policy;
    firstLoad.countDown();
  }

  /** True once a policy (or the fail-closed one) is in force. */
  public boolean loaded() {
    return current != null;
  }

  private EffectivePolicy awaitFirst() {
    try {
      firstLoad.await(maxWaitMillis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    EffectivePolicy p = current;
    return p != null ? p : failClosed.get();
  }
}
