package org.apache.hadoop.fs.egress;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * Stands in for the platform's data layer (a Hadoop FileSystem such as ABFS): its package starts
 * with {@code org.apache.hadoop.fs.}, one of the agent's default {@code gateways}, and it is on the
 * executors' application class path ({@code spark.executor.extraClassPath}), so it is platform
 * code. A storage read made through it is platform-mediated, whoever called it.
 */
public final class GatewayRead {
  private GatewayRead() {}

  /** GETs {@code url} and returns the body. */
  public static String read(String url) throws IOException {
    HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
    c.setConnectTimeout(5_000);
    c.setReadTimeout(5_000);
    try (InputStream in = c.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } finally {
      c.disconnect();
    }
  }
}
