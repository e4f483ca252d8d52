package dev.egress.policy;

/**
 * Why a destination was denied; {@link #code()} is the exact {@code reason} string of the violation
 * record.
 */
public enum Reason {
  NOT_ALLOWED("not-allowed"),
  BLOCKED_DESTINATION("blocked-destination"),
  DIRECT_STORAGE_ACCESS("direct-storage-access"),
  STORAGE_NOT_ALLOWED("storage-not-allowed"),
  CROSS_WORKSPACE("cross-workspace"),
  METADATA_ENDPOINT("metadata-endpoint"),
  UNVERIFIED_NAME("unverified-name"),
  POLICY_UNAVAILABLE("policy-unavailable");

  private final String code;

  Reason(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }
}
