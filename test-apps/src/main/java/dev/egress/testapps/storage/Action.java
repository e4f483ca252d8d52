package dev.egress.testapps.storage;

/**
 * One storage action of the workloads: {@code <route>:<client>:<target>}.
 *
 * <ul>
 *   <li>route: {@code direct} (the calling class makes the SDK call itself) or {@code gateway} (it
 *       calls {@code org.apache.hadoop.fs.egresstest.GatewayReader}, which makes it);
 *   <li>client: {@code azure} (BlobClient.downloadContent, Reactor Netty), {@code s3} / {@code
 *       s3-path} (S3Client.getObjectAsBytes, virtual-hosted / path-style, default transport),
 *       {@code s3-apache4} / {@code s3-apache4-path} (the same on Apache HttpClient 4), {@code
 *       s3async} / {@code s3async-path} (S3AsyncClient.getObject(…, toBytes()).join(), Netty NIO
 *       event loops), {@code s3async-epoll} / {@code s3async-epoll-path} (the same on Netty's
 *       native epoll transport);
 *   <li>target: the Azure host ({@code lakeprod.dfs.core.windows.net}) or the S3 bucket.
 * </ul>
 *
 * The object read is named after the route and client ({@code direct-azure.bin}), so the fake
 * server's {@code SERVED} lines tell which action reached it.
 */
public record Action(String label, String route, String client, String target) {
  public static Action parse(String arg) {
    String[] p = arg.split(":", 3);
    if (p.length != 3) {
      throw new IllegalArgumentException("not <route>:<client>:<target>: " + arg);
    }
    return new Action(arg, p[0], p[1], p[2]);
  }

  public String objectName() {
    return route + "-" + client + ".bin";
  }
}
