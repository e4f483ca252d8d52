package dev.egress.testapps.storage;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * Runs {@link Notebook} as user code, the way a notebook REPL runs a cell: {@code Repl
 * <notebook-args...>}. Starts the {@link FakeStorage} servers first and prints their {@code SERVED}
 * lines at the end.
 *
 * <p>Why not {@code dev.egress.testapps.UserCode}: its loader's parent is the platform class
 * loader, so user code there cannot see the SDKs or the gateway on the application class path. A
 * REPL's loader (Spark's, Scala's, Jupyter kernels') has the application loader as its parent.
 * {@link ReplLoader} is that: child-first for the notebook's own classes ({@code
 * dev.egress.testapps.storage.Notebook*}), which it defines itself from the test-apps classes, and
 * parent-first for everything else (SDKs, gateway, helpers: application class path, platform code).
 */
public final class Repl {
  private Repl() {}

  /** The notebook REPL's class loader. */
  public static final class ReplLoader extends URLClassLoader {
    static final String NOTEBOOK_PREFIX = "dev.egress.testapps.storage.Notebook";

    ReplLoader(URL classes) {
      super("notebook-repl", new URL[] {classes}, Repl.class.getClassLoader());
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(NOTEBOOK_PREFIX)) {
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
  }

  public static void main(String[] args) throws Throwable {
    URL classes = Repl.class.getProtectionDomain().getCodeSource().getLocation();
    try (FakeStorage storage = FakeStorage.start();
        ReplLoader loader = new ReplLoader(classes)) {
      Class<?> cell = Class.forName(ReplLoader.NOTEBOOK_PREFIX, true, loader);
      if (cell.getClassLoader() != loader) {
        throw new IllegalStateException("not loaded as user code: " + cell.getClassLoader());
      }
      Method m = cell.getMethod("main", String[].class);
      try {
        m.invoke(null, (Object) args);
      } catch (java.lang.reflect.InvocationTargetException e) {
        throw e.getCause();
      }
      storage.printServed();
    }
  }
}
