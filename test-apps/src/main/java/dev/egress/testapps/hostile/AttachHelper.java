package dev.egress.testapps.hostile;

import com.sun.tools.attach.VirtualMachine;

/**
 * A helper JVM started by the hostile workload: attaches to the workload's JVM (self-attach is
 * refused by default, attaching from another process is not) and loads an agent jar into it. {@code
 * AttachHelper <pid> <agent jar> <agent args>}
 */
public final class AttachHelper {
  private AttachHelper() {}

  public static void main(String[] args) throws Exception {
    VirtualMachine vm = VirtualMachine.attach(args[0]);
    try {
      vm.loadAgent(args[1], args[2]);
    } finally {
      vm.detach();
    }
    System.out.println("loaded " + args[1] + " into " + args[0]);
  }
}
