package dev.egress.policy;

/**
 * The agent's {@code mode} setting: when not {@link #NONE} it wins over the policy's enforcement
 * mode.
 */
public enum ModeOverride {
  NONE,
  ENFORCE,
  DRY_RUN
}
