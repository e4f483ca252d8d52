package shaded.io.netty.handler.codec.http;

/** Stands for a (shaded) Netty {@code LastHttpContent}: the agent finds it by name. */
public interface LastHttpContent {}
