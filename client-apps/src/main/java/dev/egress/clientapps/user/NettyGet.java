package dev.egress.clientapps.user;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * A Netty HTTP GET: {@code Bootstrap.connect(host, port)} (the name is resolved on the event loop,
 * the connect runs there too), then one request and its response.
 */
final class NettyGet {
  private NettyGet() {}

  static String get(String hostPort, boolean epoll) throws Throwable {
    String host = ClientProbe.hostOf(hostPort);
    int port = ClientProbe.portOf(hostPort);
    EventLoopGroup group;
    Class<? extends Channel> channelType;
    if (epoll) {
      Epoll.ensureAvailability();
      group = new EpollEventLoopGroup(1);
      channelType = EpollSocketChannel.class;
    } else {
      group = new NioEventLoopGroup(1);
      channelType = NioSocketChannel.class;
    }
    CompletableFuture<String> response = new CompletableFuture<>();
    try {
      Bootstrap b =
          new Bootstrap()
              .group(group)
              .channel(channelType)
              .option(
                  io.netty.channel.ChannelOption.CONNECT_TIMEOUT_MILLIS,
                  ClientProbe.TIMEOUT_S * 1000)
              .handler(
                  new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                      ch.pipeline()
                          .addLast(
                              new HttpClientCodec(),
                              new HttpObjectAggregator(1 << 20),
                              new SimpleChannelInboundHandler<FullHttpResponse>() {
                                @Override
                                protected void channelRead0(
                                    ChannelHandlerContext ctx, FullHttpResponse msg) {
                                  response.complete(
                                      msg.status().code()
                                          + " "
                                          + msg.content().toString(StandardCharsets.UTF_8)
                                          + " ("
                                          + ctx.channel().getClass().getSimpleName()
                                          + ")");
                                  ctx.close();
                                }

                                @Override
                                public void exceptionCaught(
                                    ChannelHandlerContext ctx, Throwable cause) {
                                  response.completeExceptionally(cause);
                                  ctx.close();
                                }
                              });
                    }
                  });
      ChannelFuture connect = b.connect(host, port);
      if (!connect.await(ClientProbe.TIMEOUT_S + 5, TimeUnit.SECONDS)) {
        throw new IllegalStateException("connect did not finish");
      }
      if (!connect.isSuccess()) {
        throw connect.cause();
      }
      DefaultFullHttpRequest request =
          new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/");
      request.headers().set(HttpHeaderNames.HOST, host + ":" + port);
      request.headers().set(HttpHeaderNames.CONNECTION, "close");
      connect.channel().writeAndFlush(request);
      return ClientProbe.await(response);
    } finally {
      group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
  }
}
