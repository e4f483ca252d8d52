package dev.egress.agent.decide;

import java.lang.reflect.Method;
import java.net.URI;
import java.net.URL;
import java.net.URLConnection;

/**
 * Reads host, port and path from the request objects that the HTTP hooks see: the JDK's own ({@code
 * java.net.http.HttpRequest}, {@code URLConnection}) directly; a library's (Netty's {@code
 * HttpRequest}, Apache HttpClient 4's {@code HttpRequest}, possibly shaded under another package)
 * through its public methods, looked up once per class.
 */
final class HttpTargets {
  /** Where a request goes: a null host means unknown. */
  record Target(String host, int port, String path, boolean tls) {
    /** The port the request goes to: the explicit one, or the scheme's default. */
    int effectivePort() {
      return port > 0 ? port : tls ? 443 : 80;
    }
  }

  private static final ClassValue<Reader> READERS =
      new ClassValue<>() {
        @Override
        protected Reader computeValue(Class<?> type) {
          return Reader.of(type);
        }
      };

  private HttpTargets() {}

  /** The target of {@code request}, or null when it cannot be told. */
  static Target of(Object request) {
    if (request instanceof java.net.http.HttpRequest) {
      return ofUri(((java.net.http.HttpRequest) request).uri());
    }
    if (request instanceof URLConnection) {
      URL url = ((URLConnection) request).getURL();
      return url == null
          ? null
          : new Target(
              url.getHost(),
              url.getPort(),
              url.getPath(),
              "https".equalsIgnoreCase(url.getProtocol()));
    }
    return READERS.get(request.getClass()).read(request);
  }

  /**
   * True when {@code message} is a library request object (it has a request URI), whether or not
   * its target can be told: Netty's {@code HttpRequest}, not its content or a response.
   */
  static boolean isRequest(Object message) {
    return READERS.get(message.getClass()).request();
  }

  private static Target ofUri(URI uri) {
    return uri == null
        ? null
        : new Target(
            uri.getHost(),
            uri.getPort(),
            uri.getRawPath(),
            "https".equalsIgnoreCase(uri.getScheme()));
  }

  /**
   * A library request: an origin-form URI ("/bucket/key") with a Host header, or an absolute one.
   * Netty: {@code uri()}, {@code headers().get(String)}. Apache 4: {@code
   * getRequestLine().getUri()}, {@code getFirstHeader(String).getValue()}. Apache 5: {@code
   * getUri()}, a {@link URI} with the request's authority and scheme.
   */
  private static final class Reader {
    private final Method uri;
    private final Method javaUri;
    private final Method requestLine;
    private final Method lineUri;
    private final Method headers;
    private final Method headersGet;
    private final Method firstHeader;
    private final Method headerValue;

    private Reader(
        Method javaUri,
        Method uri,
        Method requestLine,
        Method lineUri,
        Method headers,
        Method headersGet,
        Method firstHeader,
        Method headerValue) {
      this.javaUri = javaUri;
      this.uri = uri;
      this.requestLine = requestLine;
      this.lineUri = lineUri;
      this.headers = headers;
      this.headersGet = headersGet;
      this.firstHeader = firstHeader;
      this.headerValue = headerValue;
    }

    static Reader of(Class<?> type) {
      Method javaUri = publicMethod(type, "getUri");
      if (javaUri != null && javaUri.getReturnType() != URI.class) {
        javaUri = null;
      }
      Method uri = publicMethod(type, "uri");
      Method requestLine = publicMethod(type, "getRequestLine");
      Method lineUri =
          requestLine == null ? null : publicMethod(requestLine.getReturnType(), "getUri");
      Method headers = publicMethod(type, "headers");
      Method headersGet =
          headers == null ? null : publicMethod(headers.getReturnType(), "get", String.class);
      Method firstHeader = publicMethod(type, "getFirstHeader", String.class);
      Method headerValue =
          firstHeader == null ? null : publicMethod(firstHeader.getReturnType(), "getValue");
      return new Reader(
          javaUri, uri, requestLine, lineUri, headers, headersGet, firstHeader, headerValue);
    }

    boolean request() {
      return javaUri != null || uri != null || requestLine != null;
    }

    Target read(Object request) {
      try {
        if (javaUri != null) {
          Target t = ofUri((URI) javaUri.invoke(request));
          if (t != null && t.host() != null) {
            return t;
          }
        }
        String target = null;
        if (uri != null) {
          target = String.valueOf(uri.invoke(request));
        } else if (requestLine != null && lineUri != null) {
          target = String.valueOf(lineUri.invoke(requestLine.invoke(request)));
        }
        if (target == null) {
          return null;
        }
        if (target.startsWith("http://") || target.startsWith("https://")) {
          return ofUri(URI.create(target));
        }
        String host = null;
        if (headers != null && headersGet != null) {
          Object h = headersGet.invoke(headers.invoke(request), "Host");
          host = h == null ? null : h.toString();
        } else if (firstHeader != null && headerValue != null) {
          Object header = firstHeader.invoke(request, "Host");
          host = header == null ? null : String.valueOf(headerValue.invoke(header));
        }
        if (host == null) {
          return null;
        }
        int port = -1;
        int colon = host.lastIndexOf(':');
        if (colon > 0 && host.indexOf(']') < colon) {
          port = Integer.parseInt(host.substring(colon + 1));
          host = host.substring(0, colon);
        }
        int query = target.indexOf('?');
        // An origin-form request does not say its scheme: the port tells, where given.
        return new Target(host, port, query < 0 ? target : target.substring(0, query), port == 443);
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }

    private static Method publicMethod(Class<?> type, String name, Class<?>... parameters) {
      try {
        Method m = type.getMethod(name, parameters);
        m.setAccessible(true); // the class may be package-private behind a public interface
        return m;
      } catch (ReflectiveOperationException | RuntimeException e) {
        return null;
      }
    }
  }
}
