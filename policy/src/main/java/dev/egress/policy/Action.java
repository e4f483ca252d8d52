package dev.egress.policy;

/** The outcome of a decision; {@code access_type} of the violation record for the two denials. */
public enum Action {
  ALLOW,
  DRY_RUN_DENIAL,
  DROP
}
