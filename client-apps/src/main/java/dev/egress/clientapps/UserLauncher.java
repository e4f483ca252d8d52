package dev.egress.clientapps;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;

/**
 * Runs a main class of {@code dev.egress.clientapps.user} as <em>user code</em> (SPEC section 5):
 * its classes are defined by a child-first loader named {@code user-code} (like a notebook REPL's
 * or a jar added at run time), while the client libraries stay on the application class path, as
 * libraries installed on a cluster are. The agent then names the user class as the caller of each
 * request.
 *
 * <p>{@code UserLauncher <main class> args...}
 */
public final class UserLauncher {
  static final String USER_PACKAGE = "dev.egress.clientapps.user.";

  private UserLauncher() {}

  public static void main(String[] args) throws Exception {
    UserLoader loader = new UserLoader(UserLauncher.class.getClassLoader());
    Class<?> main = Class.forName(args[0], true, loader);
    if (main.getClassLoader() != loader) {
      throw new IllegalStateException("not loaded as user code: " + main.getClassLoader());
    }
    String[] rest = new String[args.length - 1];
    System.arraycopy(args, 1, rest, 0, rest.length);
    Method m = main.getMethod("main", String[].class);
    try {
      m.invoke(null, (Object) rest);
    } catch (java.lang.reflect.InvocationTargetException e) {
      throw (Exception) e.getCause();
    }
  }

  /** Defines the user package itself (child first); everything else comes from the parent. */
  static final class UserLoader extends ClassLoader {
    static {
      registerAsParallelCapable();
    }

    private final ProtectionDomain domain;

    UserLoader(ClassLoader parent) {
      super("user-code", parent);
      URL location = UserLauncher.class.getProtectionDomain().getCodeSource().getLocation();
      this.domain =
          new ProtectionDomain(new CodeSource(location, (Certificate[]) null), null, this, null);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(USER_PACKAGE)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          c = findClass(name);
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
      String resource = name.replace('.', '/') + ".class";
      try (InputStream in = getParent().getResourceAsStream(resource)) {
        if (in == null) {
          throw new ClassNotFoundException(name);
        }
        byte[] bytes = in.readAllBytes();
        return defineClass(name, bytes, 0, bytes.length, domain);
      } catch (IOException e) {
        throw new ClassNotFoundException(name, e);
      }
    }
  }
}
