package dev.egress.bench.walk;

import java.io.IOException;
import java.io.InputStream;

/**
 * Defines the classes of {@code dev.egress.bench.walk.user} itself (child first, from the parent's
 * class files), as a notebook REPL or a jar added at run time would: they are then neither boot,
 * platform nor application classes, i.e. user code (SPEC section 5). Everything else is delegated,
 * so they share {@link Entry} and {@link Task}.
 */
public final class UserLoader extends ClassLoader {
  private static final String USER_PACKAGE = "dev.egress.bench.walk.user.";

  public UserLoader(ClassLoader parent) {
    super("bench-user", parent);
  }

  @Override
  protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
    if (!name.startsWith(USER_PACKAGE)) {
      return super.loadClass(name, resolve);
    }
    synchronized (getClassLoadingLock(name)) {
      Class<?> c = findLoadedClass(name);
      if (c == null) {
        String resource = name.replace('.', '/') + ".class";
        try (InputStream in = getParent().getResourceAsStream(resource)) {
          if (in == null) {
            throw new ClassNotFoundException(name);
          }
          byte[] bytes = in.readAllBytes();
          c = defineClass(name, bytes, 0, bytes.length);
        } catch (IOException e) {
          throw new ClassNotFoundException(name, e);
        }
      }
      if (resolve) {
        resolveClass(c);
      }
      return c;
    }
  }

  /** A new instance of {@code className} (in the user package) defined by a fresh user loader. */
  public static Entry userEntry(String className) {
    try {
      Class<?> c = new UserLoader(UserLoader.class.getClassLoader()).loadClass(className);
      if (c.getClassLoader() == ClassLoader.getSystemClassLoader()) {
        throw new IllegalStateException(className + " was not defined by the user loader");
      }
      return (Entry) c.getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }
}
