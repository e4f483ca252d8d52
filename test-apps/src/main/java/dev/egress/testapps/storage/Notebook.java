package dev.egress.testapps.storage;

import dev.egress.testapps.ResultLines;
import org.apache.hadoop.fs.egresstest.GatewayReader;

/**
 * A notebook cell: user code. {@link Repl} defines this class in its own class loader (a notebook
 * REPL's), so the agent counts it as user code; the SDKs and the gateway come from the application
 * class path, as on a cluster.
 *
 * <p>{@code direct:…} actions make the SDK call right here (direct user access: denied for storage
 * unless its exact FQDN is an allowed internet destination); {@code gateway:…} actions go through
 * {@link GatewayReader} (platform-mediated). Prints one RESULT line per action.
 */
public final class Notebook {
  private Notebook() {}

  public static void main(String[] args) {
    if (!(Notebook.class.getClassLoader() instanceof Repl.ReplLoader)) {
      throw new IllegalStateException(
          "Notebook must run as user code through Repl, not from "
              + Notebook.class.getClassLoader());
    }
    for (String arg : args) {
      Action a = Action.parse(arg);
      // Direct: the cell itself calls the SDK (through the same helper as the gateway).
      ResultLines.attempt(
          a.label(),
          () ->
              a.route().equals("gateway")
                  ? GatewayReader.read(a.client(), a.target(), a.objectName())
                  : Clients.read(a.client(), a.target(), a.objectName()));
    }
  }
}
