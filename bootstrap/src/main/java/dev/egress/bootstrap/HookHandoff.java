package dev.egress.bootstrap;

/**
 * Hands the agent's hooks to {@link EgressBridge} exactly once. The agent offers its hooks, then
 * initializes the bridge, whose static initializer takes them into a {@code static final} field.
 * After that nothing can change them: there is no setter, reflection cannot write a static final
 * field, and an offer made after the take is ignored. Notebook code that calls this class or
 * reflects on it (it sits in the boot loader's unnamed module, which is open) gains nothing.
 */
public final class HookHandoff {
  private static EgressHooks pending;
  private static boolean taken;

  private HookHandoff() {}

  /** Offers the hooks; false when the bridge has already taken its hooks (or none). */
  public static synchronized boolean offer(EgressHooks hooks) {
    if (taken || pending != null) {
      return false;
    }
    pending = hooks;
    return true;
  }

  /** Called once, by the bridge's static initializer. */
  static synchronized EgressHooks take() {
    EgressHooks h = pending;
    pending = null;
    taken = true;
    return h;
  }
}
