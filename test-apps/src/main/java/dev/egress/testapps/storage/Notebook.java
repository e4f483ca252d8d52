package dev.egress.testapps.storage;

import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.egresstest.GatewayReader;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

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
      Results.attempt(
          a.label(),
          () ->
              a.route().equals("gateway")
                  ? GatewayReader.read(a.client(), a.target(), a.objectName())
                  : direct(a.client(), a.target(), a.objectName()));
    }
  }

  /** The cell's own SDK call (the same calls as the gateway's). */
  static String direct(String client, String target, String object) throws Exception {
    switch (client) {
      case "azure":
        return Clients.azureBlob(target, object).downloadContent().toString();
      case "s3":
      case "s3-path":
      case "s3-apache4":
      case "s3-apache4-path":
        try (S3Client s3 = Clients.s3(client.endsWith("-path"), client.contains("apache4"))) {
          return s3.getObjectAsBytes(GetObjectRequest.builder().bucket(target).key(object).build())
              .asString(StandardCharsets.UTF_8);
        }
      case "s3async":
      case "s3async-path":
      case "s3async-epoll":
      case "s3async-epoll-path":
        try (S3AsyncClient s3 =
            Clients.s3Async(client.endsWith("-path"), client.contains("epoll"))) {
          return s3.getObject(
                  GetObjectRequest.builder().bucket(target).key(object).build(),
                  AsyncResponseTransformer.toBytes())
              .join()
              .asString(StandardCharsets.UTF_8);
        }
      default:
        throw new IllegalArgumentException("unknown client " + client);
    }
  }
}
