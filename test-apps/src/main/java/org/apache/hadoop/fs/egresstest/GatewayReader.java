package org.apache.hadoop.fs.egresstest;

import dev.egress.testapps.storage.Clients;

/**
 * Stands for the platform's data layer (a Hadoop FileSystem): its package starts with {@code
 * org.apache.hadoop.fs.}, one of the agent's default gateway prefixes, and it lives on the
 * application class path. It makes the same SDK calls as the notebook's direct route, so an access
 * through it is platform-mediated (SPEC section 5).
 */
public final class GatewayReader {
  private GatewayReader() {}

  /** Reads {@code object} from {@code target} with {@code client}; returns the content. */
  public static String read(String client, String target, String object) throws Exception {
    return Clients.read(client, target, object);
  }
}
