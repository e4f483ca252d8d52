package dev.egress.testapps;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * Runs another main class of these test apps as <em>user code</em>: loaded by a fresh
 * {@code URLClassLoader} (like a notebook REPL's or a jar added at run time) whose parent is the platform
 * loader, so the application class loader never defines it. {@code UserCode <main class> args...}
 */
public final class UserCode {
  private UserCode() {}

  public static void main(String[] args) throws Exception {
    URL classes = UserCode.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader loader = new URLClassLoader("user-code", new URL[] {classes},
        ClassLoader.getPlatformClassLoader())) {
      Class<?> main = Class.forName(args[0], true, loader);
      if (main.getClassLoader() != loader) {
        throw new IllegalStateException("not loaded as user code: " + main.getClassLoader());
      }
      String[] rest = new String[args.length - 1];
      System.arraycopy(args, 1, rest, 0, rest.length);
      Method m = main.getMethod("main", String[].class);
      m.invoke(null, (Object) rest);
    }
  }
}
