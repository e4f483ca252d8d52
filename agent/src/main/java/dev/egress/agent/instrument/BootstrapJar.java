package dev.egress.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * Puts the bridge classes on the boot class path, where instrumented JDK classes can see them. They
 * travel inside the agent jar as a nested jar ({@code META-INF/egress/egress-bootstrap.jar}) so that
 * the agent stays one file; each JVM copies it to a fresh private temporary file, which no other
 * process can have planted.
 */
public final class BootstrapJar {
  static final String RESOURCE = "/META-INF/egress/egress-bootstrap.jar";

  private BootstrapJar() {}

  /** Appends the bridge to the boot class path unless it is there already (a second attach). */
  public static void append(Instrumentation inst) throws IOException {
    if (bridgeVisibleToBootLoader()) {
      return;
    }
    Path jar = Files.createTempFile("egress-bootstrap-", ".jar");
    jar.toFile().deleteOnExit();
    try (InputStream in = BootstrapJar.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException(
            "the agent jar has no " + RESOURCE + ": it was not built by the project's build");
      }
      Files.copy(in, jar, StandardCopyOption.REPLACE_EXISTING);
    }
    inst.appendToBootstrapClassLoaderSearch(new JarFile(jar.toFile()));
  }

  private static boolean bridgeVisibleToBootLoader() {
    try {
      Class.forName("dev.egress.bootstrap.EgressBridge", false, null);
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }
}
