package dev.egress.bootstrap;

import java.net.SocketException;

/**
 * Thrown when the egress policy denies a UDP send or connect. A subclass of the JDK type the caller
 * already handles, so the application treats it like any other failure of that kind. The public
 * {@code (String)} constructor is required: the JDK re-creates some socket exceptions reflectively
 * to add detail to their message.
 */
public class EgressSocketException extends SocketException implements EgressDenial {
  private static final long serialVersionUID = 1L;

  public EgressSocketException(String message) {
    super(message);
  }
}
