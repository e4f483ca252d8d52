package dev.egress.bootstrap;

import java.net.UnknownHostException;

/**
 * Thrown when the egress policy denies a name lookup. A subclass of the JDK type the caller already
 * handles, so the application treats it like any other failure of that kind. The public {@code
 * (String)} constructor is required: the JDK re-creates some socket exceptions reflectively to add
 * detail to their message.
 */
public class EgressUnknownHostException extends UnknownHostException implements EgressDenial {
  private static final long serialVersionUID = 1L;

  public EgressUnknownHostException(String message) {
    super(message);
  }
}
