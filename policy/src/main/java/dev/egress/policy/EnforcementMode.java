package dev.egress.policy;

/** {@code policy_enforcement.enforcement_mode}; absent means {@link #ENFORCED}. */
public enum EnforcementMode {
  ENFORCED,
  DRY_RUN
}
