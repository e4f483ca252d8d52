package dev.egress.collector.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The base of every endpoint: turns an {@link ApiException} into its status and JSON body and
 * anything else into a 500, so that no input can take a request thread (or the service) down
 * without an answer.
 */
public abstract class ApiHandler implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(ApiHandler.class);

  protected abstract void serve(HttpExchange ex) throws ApiException, IOException;

  @Override
  public final void handle(HttpExchange ex) {
    try {
      serve(ex);
    } catch (ApiException e) {
      respond(ex, e);
    } catch (IOException e) {
      LOG.debug(
          "{} {}: client connection failed: {}",
          ex.getRequestMethod(),
          ex.getRequestURI().getPath(),
          e.toString());
    } catch (RuntimeException | Error e) {
      LOG.error("{} {} failed", ex.getRequestMethod(), ex.getRequestURI().getPath(), e);
      respond(
          ex,
          new ApiException(500, "internal_error", "the collector failed on this request: " + e));
      if (e instanceof Error && !(e instanceof OutOfMemoryError)) {
        throw (Error) e;
      }
    } finally {
      ex.close();
    }
  }

  private static void respond(HttpExchange ex, ApiException e) {
    try {
      Exchanges.sendError(ex, e);
    } catch (IOException | RuntimeException io) {
      // the headers may already be out (a failure while streaming a page); nothing more can be said
      LOG.debug("could not send error {}: {}", e.status(), io.toString());
    }
  }
}
