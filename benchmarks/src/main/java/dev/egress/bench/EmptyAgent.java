package dev.egress.bench;

import java.lang.instrument.Instrumentation;

/**
 * An agent that does nothing, for the start-up baseline: what any {@code -javaagent} costs the JVM
 * (the instrument library, the agent jar, the module graph no longer taken from the CDS archive)
 * before the agent runs a line. The harness writes it into a jar of its own.
 */
public final class EmptyAgent {
  private EmptyAgent() {}

  public static void premain(String args, Instrumentation inst) {}
}
