package dev.egress.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;
import org.junit.jupiter.api.Test;

/**
 * Opens the built agent jar and proves what the application will get: every class under the
 * product's own package (third-party classes relocated, so Spark's own Jackson never clashes), the
 * bridge only inside the nested boot jar, and the manifest an agent needs.
 */
class AgentJarContentsTest {
  private static final Path AGENT =
      Path.of(System.getProperty("egress.agent.jar", "../agent/target/egress-agent.jar"));

  @Test
  void everyClassIsUnderTheProductsPackage() throws IOException {
    List<String> outside = new ArrayList<>();
    int classes = 0;
    try (JarFile jar = new JarFile(AGENT.toFile())) {
      for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
        String name = e.nextElement().getName();
        if (name.endsWith(".class")) {
          classes++;
          if (!name.startsWith("dev/egress/")) {
            outside.add(name);
          }
        }
      }
    }
    assertTrue(
        classes > 100, "the jar should hold the agent and its relocated dependencies: " + classes);
    assertEquals(
        List.of(), outside, "classes outside dev/egress/ would clash with the application's");
  }

  @Test
  void thirdPartyCodeIsRelocatedAndPresent() throws IOException {
    try (JarFile jar = new JarFile(AGENT.toFile())) {
      assertNotNull(
          jar.getEntry("dev/egress/shaded/jackson/core/JsonParser.class"),
          "relocated jackson-core");
      assertNotNull(
          jar.getEntry("dev/egress/shaded/bytebuddy/jar/asm/ClassReader.class"), "relocated ASM");
      assertNotNull(jar.getEntry("dev/egress/policy/PolicyParser.class"), "the policy engine");
    }
  }

  @Test
  void theBridgeTravelsOnlyInTheNestedBootJar() throws IOException {
    try (JarFile jar = new JarFile(AGENT.toFile())) {
      assertEquals(
          null,
          jar.getEntry("dev/egress/bootstrap/EgressBridge.class"),
          "a top-level copy would be loaded by the app loader, beside the boot loader's");
      JarEntry nested = jar.getJarEntry("META-INF/egress/egress-bootstrap.jar");
      assertNotNull(nested);
      List<String> inside = new ArrayList<>();
      try (JarInputStream in = new JarInputStream(jar.getInputStream(nested))) {
        for (JarEntry e; (e = in.getNextJarEntry()) != null; ) {
          if (e.getName().endsWith(".class")) {
            inside.add(e.getName());
          }
        }
      }
      assertTrue(inside.contains("dev/egress/bootstrap/EgressBridge.class"), inside.toString());
      assertTrue(
          inside.stream().allMatch(n -> n.startsWith("dev/egress/bootstrap/")), inside.toString());
    }
  }

  @Test
  void manifestNamesTheAgentEntryPoints() throws IOException {
    assertTrue(Files.exists(AGENT), AGENT + " (run mvn package)");
    try (JarFile jar = new JarFile(AGENT.toFile())) {
      Attributes a = jar.getManifest().getMainAttributes();
      assertEquals("dev.egress.agent.EgressAgent", a.getValue("Premain-Class"));
      assertEquals("dev.egress.agent.EgressAgent", a.getValue("Agent-Class"));
      assertEquals("true", a.getValue("Can-Retransform-Classes"));
      assertEquals("true", a.getValue("Can-Redefine-Classes"));
    }
  }
}
