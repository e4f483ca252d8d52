package dev.egress.testapps;

import com.sun.tools.attach.VirtualMachine;

/**
 * Loads the agent into this very JVM after start-up (the {@code Agent-Class} path), then runs
 * {@code Probe} with the remaining arguments: {@code Attach <agent jar> <agent args> actions...}.
 * Needs {@code -Djdk.attach.allowAttachSelf=true}.
 */
public final class Attach {
  private Attach() {}

  public static void main(String[] args) throws Exception {
    String pid = String.valueOf(ProcessHandle.current().pid());
    VirtualMachine vm = VirtualMachine.attach(pid);
    try {
      vm.loadAgent(args[0], args[1]);
    } finally {
      vm.detach();
    }
    System.out.println("ATTACHED");
    String[] rest = new String[args.length - 2];
    System.arraycopy(args, 2, rest, 0, rest.length);
    Probe.main(rest);
  }
}
