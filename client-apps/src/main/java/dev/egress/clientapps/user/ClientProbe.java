package dev.egress.clientapps.user;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A client program written the way a notebook cell or a job would: for each argument it makes one
 * request with a real client library and prints exactly one line,
 *
 * <pre>
 * RESULT &lt;arg&gt; OK &lt;detail&gt;
 * RESULT &lt;arg&gt; DENIED top=&lt;class&gt; egress=&lt;class&gt; types=&lt;JDK types&gt; chain=&lt;classes&gt; msg=&lt;message&gt;
 * RESULT &lt;arg&gt; ERROR top=&lt;class&gt; egress=- types=&lt;JDK types&gt; chain=&lt;classes&gt; msg=&lt;message&gt;
 * </pre>
 *
 * DENIED: the throwable or one of its causes (however the client wrapped it) has a message starting
 * {@code Egress denied}; {@code egress} is the deepest such throwable. Where a client re-created
 * the exception without its cause but kept the agent's message inside its own, {@code egress} is
 * that exception, marked {@code (in-message)}, and {@code msg} starts at {@code Egress denied}.
 *
 * <p>Actions: {@code okhttp:URL} (OkHttp 5, {@code execute}), {@code okhttp-async:URL} ({@code
 * enqueue}), {@code hc5:URL} (Apache HttpClient 5 classic), {@code hc5-async:URL} (HttpClient 5
 * async), {@code netty-nio:host:port} and {@code netty-epoll:host:port} (a Netty HTTP GET on the
 * NIO or the native epoll transport), {@code grpc:host:port} (a plaintext unary gRPC call through
 * grpc-netty-shaded, its default transport: epoll where available), {@code grpc-nio:host:port} (the
 * same on the shaded NIO transport), {@code pg:host:port} (PostgreSQL JDBC: connect as {@code
 * postgres} and run a query).
 *
 * <p>Every request is made from this class, so the agent must name it as the caller, also where the
 * client connects on its own dispatcher, I/O reactor or event-loop thread.
 */
public final class ClientProbe {
  static final int TIMEOUT_S = 10;

  private ClientProbe() {}

  public static void main(String[] args) throws Exception {
    for (String arg : args) {
      int colon = arg.indexOf(':');
      String kind = arg.substring(0, colon);
      String target = arg.substring(colon + 1);
      String detail;
      try {
        switch (kind) {
          case "okhttp":
            detail = okhttp(target);
            break;
          case "okhttp-async":
            detail = okhttpAsync(target);
            break;
          case "hc5":
            detail = hc5(target);
            break;
          case "hc5-async":
            detail = hc5Async(target);
            break;
          case "netty-nio":
            detail = NettyGet.get(target, false);
            break;
          case "netty-epoll":
            detail = NettyGet.get(target, true);
            break;
          case "grpc":
            detail = grpc(target, false);
            break;
          case "grpc-nio":
            detail = grpc(target, true);
            break;
          case "pg":
            detail = pg(target);
            break;
          default:
            throw new IllegalArgumentException("unknown action " + kind);
        }
        System.out.println("RESULT " + arg + " OK " + oneLine(detail));
      } catch (Throwable t) {
        report(arg, t);
      }
      System.out.flush();
    }
    System.out.flush();
    // Client libraries leave non-daemon threads (event loops, reactors) behind: end here.
    System.exit(0);
  }

  // --- OkHttp 5
  // --------------------------------------------------------------------------------------

  private static okhttp3.OkHttpClient okHttpClient() {
    return new okhttp3.OkHttpClient.Builder()
        .connectTimeout(TIMEOUT_S, TimeUnit.SECONDS)
        .readTimeout(TIMEOUT_S, TimeUnit.SECONDS)
        .retryOnConnectionFailure(false)
        .proxy(java.net.Proxy.NO_PROXY)
        .build();
  }

  static String okhttp(String url) throws IOException {
    okhttp3.OkHttpClient client = okHttpClient();
    okhttp3.Request request = new okhttp3.Request.Builder().url(url).build();
    try (okhttp3.Response response = client.newCall(request).execute()) {
      return response.code() + " " + response.body().string();
    } finally {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  static String okhttpAsync(String url) throws Throwable {
    okhttp3.OkHttpClient client = okHttpClient();
    okhttp3.Request request = new okhttp3.Request.Builder().url(url).build();
    CompletableFuture<String> result = new CompletableFuture<>();
    client
        .newCall(request)
        .enqueue(
            new okhttp3.Callback() {
              @Override
              public void onFailure(okhttp3.Call call, IOException e) {
                result.completeExceptionally(e);
              }

              @Override
              public void onResponse(okhttp3.Call call, okhttp3.Response response) {
                try (response) {
                  result.complete(
                      response.code()
                          + " "
                          + response.body().string()
                          + " (thread "
                          + Thread.currentThread().getName()
                          + ")");
                } catch (IOException e) {
                  result.completeExceptionally(e);
                }
              }
            });
    try {
      return await(result);
    } finally {
      client.dispatcher().executorService().shutdown();
      client.connectionPool().evictAll();
    }
  }

  // --- Apache HttpClient 5
  // ---------------------------------------------------------------------------

  static String hc5(String url) throws IOException {
    org.apache.hc.client5.http.config.ConnectionConfig cc =
        org.apache.hc.client5.http.config.ConnectionConfig.custom()
            .setConnectTimeout(TIMEOUT_S, TimeUnit.SECONDS)
            .setSocketTimeout(TIMEOUT_S, TimeUnit.SECONDS)
            .build();
    org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager cm =
        org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder.create()
            .setDefaultConnectionConfig(cc)
            .build();
    try (org.apache.hc.client5.http.impl.classic.CloseableHttpClient client =
        org.apache.hc.client5.http.impl.classic.HttpClients.custom()
            .setConnectionManager(cm)
            .disableAutomaticRetries()
            .build()) {
      org.apache.hc.client5.http.classic.methods.HttpGet get =
          new org.apache.hc.client5.http.classic.methods.HttpGet(url);
      return client.execute(
          get,
          response ->
              response.getCode()
                  + " "
                  + org.apache.hc.core5.http.io.entity.EntityUtils.toString(response.getEntity()));
    }
  }

  static String hc5Async(String url) throws Throwable {
    org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient client =
        org.apache.hc.client5.http.impl.async.HttpAsyncClients.custom()
            .setIOReactorConfig(
                org.apache.hc.core5.reactor.IOReactorConfig.custom().setIoThreadCount(1).build())
            .disableAutomaticRetries()
            .build();
    client.start();
    try {
      org.apache.hc.client5.http.async.methods.SimpleHttpRequest request =
          org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.get(url).build();
      Future<org.apache.hc.client5.http.async.methods.SimpleHttpResponse> f =
          client.execute(request, null);
      org.apache.hc.client5.http.async.methods.SimpleHttpResponse response = await(f);
      return response.getCode() + " " + response.getBodyText();
    } finally {
      client.close(org.apache.hc.core5.io.CloseMode.IMMEDIATE);
    }
  }

  // --- gRPC (grpc-netty-shaded)
  // ----------------------------------------------------------------------

  /**
   * The one method of the test service: {@code egress.Echo/Say}, UTF-8 strings both ways (no
   * protobuf).
   */
  public static final io.grpc.MethodDescriptor<String, String> SAY =
      io.grpc.MethodDescriptor.<String, String>newBuilder()
          .setType(io.grpc.MethodDescriptor.MethodType.UNARY)
          .setFullMethodName("egress.Echo/Say")
          .setRequestMarshaller(new Utf8())
          .setResponseMarshaller(new Utf8())
          .build();

  /** A marshaller of UTF-8 strings. */
  public static final class Utf8 implements io.grpc.MethodDescriptor.Marshaller<String> {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  static String grpc(String hostPort, boolean nio) throws Exception {
    io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder builder =
        io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder.forAddress(
                hostOf(hostPort), portOf(hostPort))
            .usePlaintext();
    io.grpc.netty.shaded.io.netty.channel.EventLoopGroup group = null;
    if (nio) {
      group = new io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup(1);
      builder
          .eventLoopGroup(group)
          .channelType(io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel.class);
    }
    io.grpc.ManagedChannel channel = builder.build();
    try {
      String answer =
          io.grpc.stub.ClientCalls.blockingUnaryCall(
              channel,
              SAY,
              io.grpc.CallOptions.DEFAULT.withDeadlineAfter(TIMEOUT_S, TimeUnit.SECONDS),
              "probe");
      return answer
          + " (epoll available: "
          + io.grpc.netty.shaded.io.netty.channel.epoll.Epoll.isAvailable()
          + ", nio: "
          + nio
          + ")";
    } finally {
      channel.shutdownNow();
      channel.awaitTermination(5, TimeUnit.SECONDS);
      if (group != null) {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
      }
    }
  }

  // --- PostgreSQL JDBC
  // -------------------------------------------------------------------------------

  static String pg(String hostPort) throws Exception {
    Properties props = new Properties();
    props.setProperty("user", "postgres");
    props.setProperty("connectTimeout", String.valueOf(TIMEOUT_S));
    props.setProperty("socketTimeout", String.valueOf(TIMEOUT_S));
    props.setProperty("loginTimeout", String.valueOf(TIMEOUT_S));
    String url = "jdbc:postgresql://" + hostPort + "/postgres";
    try (Connection c = new org.postgresql.Driver().connect(url, props);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select 'pg ' || current_setting('server_version_num') || ' at '"
                    + " || host(inet_server_addr()) || ' sum=' || (20 + 22)")) {
      rs.next();
      return rs.getString(1);
    }
  }

  // --- helpers
  // ---------------------------------------------------------------------------------------

  static <T> T await(Future<T> f) throws Throwable {
    try {
      return f.get(TIMEOUT_S + 5, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() != null ? e.getCause() : e;
    }
  }

  static String hostOf(String hostPort) {
    if (hostPort.startsWith("[")) {
      return hostPort.substring(1, hostPort.indexOf(']'));
    }
    return hostPort.substring(0, hostPort.lastIndexOf(':'));
  }

  static int portOf(String hostPort) {
    return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
  }

  static void report(String label, Throwable t) {
    Throwable egress = null;
    List<String> chain = new ArrayList<>();
    int depth = 0;
    for (Throwable c = t; c != null && depth < 20; c = c.getCause(), depth++) {
      chain.add(c.getClass().getName());
      if (c.getMessage() != null && c.getMessage().startsWith("Egress denied")) {
        egress = c; // the deepest one wins
      }
      if (c.getCause() == c) {
        break;
      }
    }
    String message = null;
    String how = "";
    if (egress == null) {
      // Some clients re-create the exception with the agent's message inside their own and drop the
      // cause (Apache HttpClient 5's HttpHostConnectException: "Connect to ... failed: Egress
      // denied: ...").
      for (Throwable c = t; c != null && depth-- > -1; c = c.getCause()) {
        String m = c.getMessage();
        if (m != null && m.contains("Egress denied")) {
          egress = c;
          message = m.substring(m.indexOf("Egress denied"));
          how = "(in-message)";
        }
        if (c.getCause() == c) {
          break;
        }
      }
    }
    Throwable subject = egress != null ? egress : t;
    if (message == null) {
      message = String.valueOf(subject.getMessage());
    }
    System.out.println(
        "RESULT "
            + label
            + " "
            + (egress != null ? "DENIED" : "ERROR")
            + " top="
            + t.getClass().getName()
            + " egress="
            + (egress == null ? "-" : egress.getClass().getName() + how)
            + " types="
            + jdkTypes(subject)
            + " chain="
            + String.join(">", chain)
            + " msg="
            + oneLine(message));
  }

  private static String jdkTypes(Throwable t) {
    List<String> types = new ArrayList<>();
    for (Class<?> c :
        Arrays.asList(
            java.net.ConnectException.class,
            java.net.UnknownHostException.class,
            java.net.SocketException.class,
            java.net.SocketTimeoutException.class,
            IOException.class)) {
      if (c.isInstance(t)) {
        types.add(c.getSimpleName());
      }
    }
    return types.isEmpty() ? "-" : String.join(",", types);
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replace('\r', ' ').replace('\n', ' ');
  }
}
