package dev.egress.agent;

import dev.egress.agent.instrument.BootstrapJar;
import java.lang.instrument.Instrumentation;

/**
 * Entry point named in the manifest, for {@code -javaagent} and for dynamic attach. Nothing here
 * may throw into the JVM's start-up.
 *
 * <p>The bridge goes on the boot class path first, in this class that names no bridge type: the
 * installer does, and verifying it would load them before they can be found.
 */
public final class EgressAgent {
  private EgressAgent() {}

  public static void premain(String args, Instrumentation inst) {
    start(args, inst);
  }

  public static void agentmain(String args, Instrumentation inst) {
    start(args, inst);
  }

  private static void start(String args, Instrumentation inst) {
    try {
      BootstrapJar.install(inst);
    } catch (Throwable t) {
      AgentLog.error("FAILED TO START; egress is NOT controlled in this JVM: " + t, t);
      return;
    }
    AgentInstaller.install(args, inst);
  }
}
