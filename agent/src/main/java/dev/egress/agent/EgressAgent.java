package dev.egress.agent;

import java.lang.instrument.Instrumentation;

/**
 * Entry point named in the manifest, for {@code -javaagent} and for dynamic attach. All the work is
 * in {@link AgentInstaller}; nothing here may throw into the JVM's start-up.
 */
public final class EgressAgent {
  private EgressAgent() {}

  public static void premain(String args, Instrumentation inst) {
    AgentInstaller.install(args, inst);
  }

  public static void agentmain(String args, Instrumentation inst) {
    AgentInstaller.install(args, inst);
  }
}
