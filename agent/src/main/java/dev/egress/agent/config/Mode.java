package dev.egress.agent.config;

/** The {@code mode} setting: overrides the policy's enforcement mode when set. */
public enum Mode {
  ENFORCE("enforce"),
  DRY_RUN("dry-run");

  private final String value;

  Mode(String value) {
    this.value = value;
  }

  /** The spelling used in settings ({@code enforce}, {@code dry-run}). */
  public String value() {
    return value;
  }

  /** The mode spelled {@code text} (case-insensitive), or null. */
  static Mode parse(String text) {
    for (Mode m : values()) {
      if (m.value.equalsIgnoreCase(text)) {
        return m;
      }
    }
    return null;
  }
}
