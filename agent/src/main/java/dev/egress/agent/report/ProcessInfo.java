package dev.egress.agent.report;

/**
 * The JVM that recorded a violation (SPEC section 6, {@code process}); any part may be null when
 * unknown. Built once per JVM by the agent: nothing here looks anything up.
 *
 * @param jvmRole e.g. {@code driver}, {@code executor}, {@code repl}, {@code application}
 */
public record ProcessInfo(
    Long pid, String host, String jvmRole, String sparkAppId, String sparkExecutorId) {
  public ProcessInfo {
    host = Text.cap(host);
    jvmRole = Text.cap(jvmRole);
    sparkAppId = Text.cap(sparkAppId);
    sparkExecutorId = Text.cap(sparkExecutorId);
  }
}
