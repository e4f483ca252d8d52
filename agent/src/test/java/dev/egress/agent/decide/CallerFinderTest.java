package dev.egress.agent.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.egress.agent.decide.CallerFinder.Role;
import dev.egress.policy.CallerKind;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.hadoop.fs.WalkTestCell;
import org.junit.jupiter.api.Test;

class CallerFinderTest {
  private final CallerFinder finder =
      new CallerFinder(
          List.of("org.apache.hadoop.fs.", "dev.egress.agent.decide.FakeGateway"), List.of());

  @Test
  void jdkClassesAreJdk() {
    assertEquals(Role.JDK, finder.roleOf(String.class));
    assertEquals(Role.JDK, finder.roleOf(java.net.http.HttpClient.class)); // platform loader
  }

  @Test
  void agentClassesAreAgent() {
    assertEquals(Role.AGENT, finder.roleOf(CallerFinder.class));
  }

  @Test
  void classPathClassesArePlatformAndGatewaysByPrefix() {
    assertEquals(Role.PLATFORM, finder.roleOf(org.junit.jupiter.api.Test.class));
  }

  @Test
  void classesOfAnotherLoaderAreUserCodeEvenWhenNamedLikeAGateway() throws Exception {
    try (UserLoader loader = new UserLoader()) {
      Class<?> user = loader.define("dev.egress.agent.decide.FakeGateway");
      assertEquals(Role.USER, finder.roleOf(user));
    }
  }

  @Test
  void aUserClassNamedLikeAJdkAccessorIsUserCode() throws Exception {
    try (UserLoader loader = new UserLoader()) {
      Class<?> c =
          loader.defineAs("dev.egress.agent.decide.FakeGateway", "jdk.internal.reflect.Fake");
      assertEquals(Role.USER, finder.roleOf(c));
    }
  }

  @Test
  void trustedCodeSourcesArePlatformCode() throws Exception {
    try (UserLoader loader = new UserLoader()) {
      Class<?> c = loader.define("dev.egress.agent.decide.FakeGateway");
      String location = CallerFinder.codeSource(c);
      CallerFinder trusting =
          new CallerFinder(List.of("dev.egress.agent.decide.FakeGateway"), List.of(location));
      assertEquals(Role.GATEWAY, trusting.roleOf(c));
    }
  }

  /**
   * The walk itself: a lambda of the class calls the probe, so on JDK 22+ (hidden frames shown) the
   * walk also meets the lambda's hidden class first, which must take its host's role.
   */
  @Test
  void theWalkFindsTheInnermostGatewayOrUserFrameThroughLambdas() throws Exception {
    Supplier<Object> probe = finder::kind;
    assertEquals(CallerKind.PLATFORM, finder.kind());
    assertEquals(CallerKind.PLATFORM_MEDIATED, new WalkTestCell().apply(probe));
    try (UserLoader loader = new UserLoader()) {
      @SuppressWarnings("unchecked")
      Function<Supplier<Object>, Object> cell =
          (Function<Supplier<Object>, Object>)
              loader
                  .define("org.apache.hadoop.fs.WalkTestCell")
                  .getDeclaredConstructor()
                  .newInstance();
      assertEquals(CallerKind.USER_DIRECT, cell.apply(probe));
      // a user frame below a gateway frame: the gateway is innermost and decides
      assertEquals(CallerKind.PLATFORM_MEDIATED, cell.apply(() -> new WalkTestCell().apply(probe)));
      // and the other way round
      assertEquals(CallerKind.USER_DIRECT, new WalkTestCell().apply(() -> cell.apply(probe)));
    }
  }

  /** A loader that defines a copy of a test class, like a notebook REPL defines a cell's class. */
  static final class UserLoader extends URLClassLoader {
    UserLoader() {
      super(
          new URL[] {CallerFinderTest.class.getProtectionDomain().getCodeSource().getLocation()},
          null);
    }

    /** The class file of {@code source}, renamed to {@code name} (binary names). */
    Class<?> defineAs(String source, String name) throws IOException {
      byte[] b;
      try (InputStream in =
          CallerFinderTest.class.getResourceAsStream("/" + source.replace('.', '/') + ".class")) {
        b = in.readAllBytes();
      }
      net.bytebuddy.jar.asm.ClassReader reader = new net.bytebuddy.jar.asm.ClassReader(b);
      net.bytebuddy.jar.asm.ClassWriter writer = new net.bytebuddy.jar.asm.ClassWriter(0);
      reader.accept(
          new net.bytebuddy.jar.asm.commons.ClassRemapper(
              writer,
              new net.bytebuddy.jar.asm.commons.SimpleRemapper(
                  source.replace('.', '/'), name.replace('.', '/'))),
          0);
      byte[] renamed = writer.toByteArray();
      return defineClass(name, renamed, 0, renamed.length);
    }

    Class<?> define(String name) throws IOException {
      try (InputStream in =
          CallerFinderTest.class.getResourceAsStream("/" + name.replace('.', '/') + ".class")) {
        byte[] b = in.readAllBytes();
        return defineClass(name, b, 0, b.length, CallerFinderTest.class.getProtectionDomain());
      }
    }
  }
}

/** Loaded again by {@link CallerFinderTest.UserLoader} to play a user class. */
class FakeGateway {}
