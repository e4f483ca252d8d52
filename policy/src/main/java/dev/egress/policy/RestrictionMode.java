package dev.egress.policy;

/** {@code egress.network_access.restriction_mode} of an AccountNetworkPolicy. */
public enum RestrictionMode {
  FULL_ACCESS,
  RESTRICTED_ACCESS
}
