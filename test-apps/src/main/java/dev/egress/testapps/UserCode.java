package dev.egress.testapps;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * Runs another main class of these test apps as <em>user code</em>: loaded by a fresh {@code
 * URLClassLoader} (like a notebook REPL's or a jar added at run time) whose parent is the platform
 * loader, so the application class loader never defines it. {@code UserCode <main class> args...}
 */
public final class UserCode {
  private UserCode() {}

  public static void main(String[] args) throws Exception {
    try (URLClassLoader loader = loader()) {
      Class<?> main = load(args[0], loader);
      String[] rest = new String[args.length - 1];
      System.arraycopy(args, 1, rest, 0, rest.length);
      Method m = main.getMethod("main", String[].class);
      m.invoke(null, (Object) rest);
    }
  }

  /** A fresh user-code loader over these test apps' classes. */
  public static URLClassLoader loader() {
    URL classes = UserCode.class.getProtectionDomain().getCodeSource().getLocation();
    return new URLClassLoader(
        "user-code", new URL[] {classes}, ClassLoader.getPlatformClassLoader());
  }

  /**
   * {@code className}, defined by {@code loader} (so user code, never the application loader's).
   */
  public static Class<?> load(String className, URLClassLoader loader)
      throws ClassNotFoundException {
    Class<?> c = Class.forName(className, true, loader);
    if (c.getClassLoader() != loader) {
      throw new IllegalStateException("not loaded as user code: " + c.getClassLoader());
    }
    return c;
  }
}
