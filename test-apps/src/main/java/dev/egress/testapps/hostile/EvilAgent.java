package dev.egress.testapps.hostile;

import java.io.IOException;
import java.lang.instrument.ClassDefinition;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.net.URI;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent a hostile workload loads into its own JVM (through a helper process and the Attach API)
 * to undo the egress agent's hooks, without any bytecode library: the JDK's own class files are
 * read from the {@code jrt:/} image.
 *
 * <ul>
 *   <li>{@code redefine}: {@code redefineClasses} with the original bytes of each hooked JDK class;
 *   <li>{@code strip}: a retransform-capable transformer, registered after the egress agent's and
 *       so run after it, that replaces whatever it is given with the original bytes; then {@code
 *       retransformClasses}.
 * </ul>
 */
public final class EvilAgent {
  static final String[] TARGETS = {
    "java.base/sun/nio/ch/NioSocketImpl",
    "java.base/sun/nio/ch/SocketChannelImpl",
    "java.base/sun/nio/ch/DatagramChannelImpl",
    "java.base/sun/nio/ch/UnixAsynchronousSocketChannelImpl",
    "java.base/sun/nio/ch/Net",
    "java.base/java/net/Socket",
    "java.base/java/net/InetAddress",
  };

  private EvilAgent() {}

  public static void agentmain(String mode, Instrumentation inst) throws Exception {
    Map<String, byte[]> original = new HashMap<>();
    List<Class<?>> classes = new ArrayList<>();
    FileSystem jrt = FileSystems.getFileSystem(URI.create("jrt:/"));
    for (String t : TARGETS) {
      String internal = t.substring(t.indexOf('/') + 1);
      original.put(internal, Files.readAllBytes(jrt.getPath("/modules/" + t + ".class")));
      classes.add(Class.forName(internal.replace('/', '.'), false, null));
    }
    if (mode.equals("redefine")) {
      List<ClassDefinition> defs = new ArrayList<>();
      for (Class<?> c : classes) {
        defs.add(new ClassDefinition(c, original.get(c.getName().replace('.', '/'))));
      }
      inst.redefineClasses(defs.toArray(new ClassDefinition[0]));
    } else if (mode.equals("strip")) {
      inst.addTransformer(new Restore(original), true);
      inst.retransformClasses(classes.toArray(new Class<?>[0]));
    } else {
      throw new IOException("unknown mode " + mode);
    }
    System.out.println("EVIL-AGENT " + mode + " done on " + classes.size() + " classes");
  }

  /** Gives back the original class file of each target, whatever the transformers before it did. */
  static final class Restore implements ClassFileTransformer {
    private final Map<String, byte[]> original;

    Restore(Map<String, byte[]> original) {
      this.original = original;
    }

    @Override
    public byte[] transform(
        ClassLoader loader,
        String name,
        Class<?> redefined,
        ProtectionDomain pd,
        byte[] classfile) {
      return loader == null ? original.get(name) : null;
    }
  }
}
