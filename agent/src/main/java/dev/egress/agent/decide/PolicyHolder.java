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
  private volatile Supplier<EffectivePolicy> failClosed;
  private volatile EffectivePolicy current;

  public PolicyHolder(long maxWaitMillis) {
    this.maxWaitMillis = maxWaitMillis;
  }

  /** What a decision gets when the first policy does not come in time. */
  public void failClosed(Supplier<EffectivePolicy> supplier) {
    failClosed = supplier;
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
    if (p != null) {
      return p;
    }
    Supplier<EffectivePolicy> fallback = failClosed;
    if (fallback == null) {
      throw new IllegalStateException("no policy within " + maxWaitMillis + " ms");
    }
    return fallback.get();
  }
}
