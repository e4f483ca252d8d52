package dev.egress.testapps.storage;

import dev.egress.testapps.ResultLines;
import org.apache.hadoop.fs.egresstest.GatewayReader;

/**
 * A plain application on the class path (platform code, no user code on the stack): {@code
 * PlatformMain <action...>}, each {@code gateway:<client>:<target>} (through {@link GatewayReader}:
 * platform-mediated) or {@code direct:<client>:<target>} (the SDK called from here: platform access
 * without a gateway). Starts the {@link FakeStorage} servers first and prints their {@code SERVED}
 * lines at the end.
 */
public final class PlatformMain {
  private PlatformMain() {}

  public static void main(String[] args) throws Exception {
    try (FakeStorage storage = FakeStorage.start()) {
      for (String arg : args) {
        Action a = Action.parse(arg);
        ResultLines.attempt(
            a.label(),
            () ->
                a.route().equals("gateway")
                    ? GatewayReader.read(a.client(), a.target(), a.objectName())
                    : Clients.read(a.client(), a.target(), a.objectName()));
      }
      storage.printServed();
    }
  }
}
