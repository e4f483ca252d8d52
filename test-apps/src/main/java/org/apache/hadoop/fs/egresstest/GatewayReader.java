package org.apache.hadoop.fs.egresstest;

import dev.egress.testapps.storage.Clients;
import java.nio.charset.StandardCharsets;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

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
