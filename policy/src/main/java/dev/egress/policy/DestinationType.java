package dev.egress.policy;

/** {@code destination_type} of the violation record. */
public enum DestinationType {
  DNS,
  IP,
  STORAGE
}
