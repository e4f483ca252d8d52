package dev.egress.agent;

import java.lang.instrument.Instrumentation;

/** Entry point named in the manifest. */
public final class EgressAgent {
  private EgressAgent() {}

  public static void premain(String args, Instrumentation inst) {}

  public static void agentmain(String args, Instrumentation inst) {
    premain(args, inst);
  }
}
