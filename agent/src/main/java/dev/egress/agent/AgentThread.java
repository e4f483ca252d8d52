package dev.egress.agent;

/**
 * A thread that belongs to the agent (reporter, policy refresh, self-test). Whatever such a thread
 * connects to or looks up is the agent's own traffic: it is never judged or recorded, which also
 * keeps the agent from recursing into itself.
 */
public final class AgentThread extends Thread {
  /** Set only on the self-test thread: the hooks report that they fired instead of deciding. */
  private volatile boolean selfTest;

  public AgentThread(Runnable task, String name) {
    super(null, task, "egress-" + name, 0, false);
    setDaemon(true);
  }

  public boolean selfTest() {
    return selfTest;
  }

  public void selfTest(boolean on) {
    selfTest = on;
  }

  /** True when the current thread is the agent's own. */
  public static boolean current() {
    return Thread.currentThread() instanceof AgentThread;
  }
}
