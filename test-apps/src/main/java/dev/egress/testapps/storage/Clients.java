package dev.egress.testapps.storage;

import com.azure.core.http.HttpClient;
import com.azure.core.http.netty.NettyAsyncHttpClientBuilder;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.common.policy.RequestRetryOptions;
import com.azure.storage.common.policy.RetryPolicyType;
import io.netty.resolver.DefaultAddressResolverGroup;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import reactor.netty.resources.ConnectionProvider;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;

/**
 * Builds SDK clients pointed at the fake storage (plain HTTP on {@link
 * FakeStorage#configuredPort()}). Building connects nothing: the request itself is made by the
 * caller (the notebook cell or the gateway), so that it is that frame which the agent's caller
 * finder sees.
 *
 * <p>Each client is new and has no shared connection pool, so a connection made by one action is
 * never reused by the next (a reused connection would make no new connect for the agent to judge).
 * Retries are off so that a denial is one attempt, one record.
 */
public final class Clients {
  /** The S3 regional endpoint the SDK is pointed at; virtual-hosted requests prepend the bucket. */
  public static final String S3_HOST = "s3.us-west-2.amazonaws.com";

  private Clients() {}

  static String endpoint(String host) {
    return "http://" + host + ":" + FakeStorage.configuredPort();
  }

  /**
   * The Azure SDK's default transport (azure-core-http-netty = Reactor Netty, epoll on Linux), with
   * two changes only:
   *
   * <ul>
   *   <li>the JDK resolver ({@code DefaultAddressResolverGroup}: {@code InetAddress}, so the test's
   *       {@code -Djdk.net.hosts.file}) instead of Reactor Netty's own Netty DNS resolver, which
   *       reads /etc/hosts and sends UDP DNS queries to the system's name servers (the hosts file
   *       would be ignored; in the loopback-only namespace those queries could not leave anyway);
   *   <li>no connection pool ({@code ConnectionProvider.newConnection()}), see the class comment.
   * </ul>
   */
  public static HttpClient azureTransport() {
    reactor.netty.http.client.HttpClient reactorClient =
        reactor.netty.http.client.HttpClient.create(ConnectionProvider.newConnection())
            .resolver(DefaultAddressResolverGroup.INSTANCE);
    return new NettyAsyncHttpClientBuilder(reactorClient).build();
  }

  /** {@code http://<host>:<port>/data/<blob>}, anonymous, one try. */
  public static BlobClient azureBlob(String host, String blob) {
    return new BlobServiceClientBuilder()
        .endpoint(endpoint(host))
        .httpClient(azureTransport())
        .retryOptions(new RequestRetryOptions(RetryPolicyType.FIXED, 1, 20, null, null, null))
        .buildClient()
        .getBlobContainerClient("data")
        .getBlobClient(blob);
  }

  private static StaticCredentialsProvider fakeCredentials() {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create("AKIDFAKEFAKEFAKE", "fake-secret-key-for-tests"));
  }

  /**
   * S3Client with its default sync transport (the SDK picks it from the class path: apache5-client
   * in SDK 2.59), region us-west-2, endpoint override to the fake regional endpoint; virtual-hosted
   * unless {@code pathStyle}. Checksums only where required (the fake server computes none). With
   * {@code apache4}, the Apache HttpClient 4 transport (apache-client) instead of the default.
   */
  public static S3Client s3(boolean pathStyle, boolean apache4) {
    var builder = S3Client.builder();
    if (apache4) {
      builder.httpClientBuilder(software.amazon.awssdk.http.apache.ApacheHttpClient.builder());
    }
    return builder
        .region(Region.US_WEST_2)
        .endpointOverride(URI.create(endpoint(S3_HOST)))
        .forcePathStyle(pathStyle)
        .credentialsProvider(fakeCredentials())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry()))
        .build();
  }

  /**
   * S3AsyncClient with its default async transport (netty-nio-client: NIO event loops; it resolves
   * through Netty's default resolver group, i.e. the JDK's InetAddress).
   */
  public static S3AsyncClient s3Async(boolean pathStyle) {
    return s3Async(pathStyle, false);
  }

  /**
   * With {@code epoll}, netty-nio-client on Netty's native epoll transport instead of its NIO
   * default (the connect is then Netty's native connect, never java.nio).
   */
  public static S3AsyncClient s3Async(boolean pathStyle, boolean epoll) {
    var builder = S3AsyncClient.builder();
    if (epoll) {
      builder.httpClientBuilder(
          software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient.builder()
              .eventLoopGroup(
                  software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup.create(
                      // daemon threads: the SDK does not shut down a group it was given
                      new io.netty.channel.epoll.EpollEventLoopGroup(
                          2, new io.netty.util.concurrent.DefaultThreadFactory("s3-epoll", true)),
                      io.netty.channel.epoll.EpollSocketChannel::new)));
    }
    return builder
        .region(Region.US_WEST_2)
        .endpointOverride(URI.create(endpoint(S3_HOST)))
        .forcePathStyle(pathStyle)
        .credentialsProvider(fakeCredentials())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
        .overrideConfiguration(c -> c.retryStrategy(DefaultRetryStrategy.doNotRetry()))
        .build();
  }

  /**
   * Reads {@code object} from {@code target} with the SDK client named {@code client}; returns the
   * content. The SDK call both routes make: the notebook's own (user code on the stack) and the
   * gateway's.
   */
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
