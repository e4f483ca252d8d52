package dev.egress.agent.instrument;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;

/**
 * Makes the bridge classes visible to instrumented JDK classes, i.e. defines them in the boot class
 * loader. They travel inside the agent jar as a nested jar ({@code
 * META-INF/egress/egress-bootstrap.jar}) so that the agent stays one file.
 *
 * <p>First choice: define the few classes straight into the boot loader (the JDK's internal {@code
 * Unsafe.defineClass}, exported to the agent through {@link Instrumentation#redefineModule}, called
 * without reflection: {@link UnsafeDefiner}). Appending a jar to the boot class path instead would
 * make the JVM turn off class-data sharing for application classes and print a warning in every
 * JVM's output. The append stays as the fallback, with the jar written to a new file that no other
 * process can have planted.
 */
public final class BootstrapJar {
  static final String RESOURCE = "/META-INF/egress/egress-bootstrap.jar";
  private static final String BRIDGE = "dev.egress.bootstrap.EgressBridge";

  private BootstrapJar() {}

  /** Makes the bridge visible to the boot loader unless it is already (a second attach). */
  public static void install(Instrumentation inst) throws IOException {
    if (bridgeVisibleToBootLoader()) {
      return;
    }
    byte[] jar = readNestedJar();
    try {
      defineInBootLoader(inst, classesOf(jar));
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      appendToBootClassPath(inst, jar);
    }
    if (!bridgeVisibleToBootLoader()) {
      throw new IOException("the bridge classes could not be made visible to the boot loader");
    }
  }

  private static byte[] readNestedJar() throws IOException {
    try (InputStream in = BootstrapJar.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException(
            "the agent jar has no " + RESOURCE + ": it was not built by the project's build");
      }
      return in.readAllBytes();
    }
  }

  /** Class name to class file, in jar order. */
  static Map<String, byte[]> classesOf(byte[] jar) throws IOException {
    Map<String, byte[]> classes = new LinkedHashMap<>();
    try (JarInputStream in = new JarInputStream(new java.io.ByteArrayInputStream(jar))) {
      for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
        String name = e.getName();
        if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
          ByteArrayOutputStream b = new ByteArrayOutputStream();
          in.transferTo(b);
          classes.put(name.substring(0, name.length() - 6).replace('/', '.'), b.toByteArray());
        }
      }
    }
    return classes;
  }

  private static void defineInBootLoader(Instrumentation inst, Map<String, byte[]> classes)
      throws ReflectiveOperationException {
    UnsafeDefiner.Definer definer = UnsafeDefiner.create(inst);
    // A class can only be defined once its supertypes are: retry until no progress is made.
    List<String> pending = new ArrayList<>(classes.keySet());
    while (!pending.isEmpty()) {
      int before = pending.size();
      for (var it = pending.iterator(); it.hasNext(); ) {
        String name = it.next();
        try {
          definer.define(name, classes.get(name));
          it.remove();
        } catch (NoClassDefFoundError supertypeNotYetDefined) {
          // next round
        }
      }
      if (pending.size() == before) {
        throw new IllegalStateException("cannot define " + pending + " in the boot loader");
      }
    }
  }

  private static void appendToBootClassPath(Instrumentation inst, byte[] jar) throws IOException {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));
    for (int attempt = 0; ; attempt++) {
      Path file =
          dir.resolve(
              "egress-bootstrap-"
                  + ProcessHandle.current().pid()
                  + "-"
                  + System.nanoTime()
                  + ".jar");
      // CREATE_NEW fails on an existing file or link: a planted file is never used.
      try (OutputStream out =
          Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        out.write(jar);
      } catch (FileAlreadyExistsException e) {
        if (attempt < 10) {
          continue;
        }
        throw e;
      }
      file.toFile().deleteOnExit();
      inst.appendToBootstrapClassLoaderSearch(new JarFile(file.toFile()));
      return;
    }
  }

  private static boolean bridgeVisibleToBootLoader() {
    try {
      Class.forName(BRIDGE, false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
