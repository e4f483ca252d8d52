package dev.egress.agent;

/**
 * The agent's diagnostics, on stderr with a fixed prefix. The agent does not use the application's
 * logging: it must work before any logging is configured and must never clash with it.
 */
public final class AgentLog {
  private static final String PREFIX = "[egress] ";

  private AgentLog() {}

  public static void info(String message) {
    System.err.println(PREFIX + message);
  }

  public static void warn(String message) {
    System.err.println(PREFIX + "WARNING: " + message);
  }

  public static void error(String message, Throwable t) {
    System.err.println(PREFIX + "ERROR: " + message);
    if (t != null) {
      t.printStackTrace();
    }
  }
}
