package dev.egress.agent.decide;

import java.util.Map;

/**
 * Puts the agent into the JVMs a workload starts: {@code ProcessBuilder.start} (and so {@code
 * Runtime.exec}) gets {@code JAVA_TOOL_OPTIONS} with this agent and this JVM's effective settings
 * as agent arguments, which outrank anything the child's own command line or environment says.
 * Every child gets it, not only {@code java}: a shell script that starts java passes it on. The
 * collector token travels in the environment ({@code EGRESS_COLLECTOR_TOKEN}), not in the option,
 * which the child JVM prints on stderr.
 */
public final class ChildJvms {
  private static final String JTO = "JAVA_TOOL_OPTIONS";

  private final String agentOption;
  private final String jarName;
  private final String collectorToken;

  /**
   * @param agentJar absolute path of this agent's jar
   * @param agentArgs the settings as agent arguments ({@code k=v,k=v}, list items with {@code ;})
   */
  public ChildJvms(String agentJar, String agentArgs, String collectorToken) {
    this.agentOption = "-javaagent:" + agentJar + (agentArgs.isEmpty() ? "" : "=" + agentArgs);
    this.jarName = java.nio.file.Path.of(agentJar).getFileName().toString();
    this.collectorToken = collectorToken;
  }

  /**
   * Adds the agent to a child's environment, once; not to a child whose command line attaches this
   * agent itself (a Spark worker starting an executor with its own extraJavaOptions): that child
   * runs with the settings it was given.
   */
  void prepare(ProcessBuilder child) {
    for (String arg : child.command()) {
      if (arg != null && arg.startsWith("-javaagent:") && arg.contains(jarName)) {
        return;
      }
    }
    Map<String, String> env = child.environment();
    String existing = env.get(JTO);
    if (existing == null || existing.isBlank()) {
      env.put(JTO, agentOption);
    } else if (!existing.contains(agentOption)) {
      env.put(JTO, agentOption + " " + existing);
    }
    if (collectorToken != null) {
      env.put("EGRESS_COLLECTOR_TOKEN", collectorToken);
    }
  }
}
