package dev.egress.policy;

/** Who asked for a connection, as found by walking the stack (SPEC section 5). */
public enum CallerKind {
  /** User code was reached before any gateway frame. */
  USER_DIRECT,
  /** A gateway (platform data layer) frame was reached first. */
  PLATFORM_MEDIATED,
  /** Neither user code nor a gateway: the platform's own code. */
  PLATFORM
}
