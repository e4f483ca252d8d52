package dev.egress.agent.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.egress.policy.CallerKind;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.List;
import org.junit.jupiter.api.Test;

class UserClassesTest {
  @Test
  void jdkPlatformAndApplicationDefinitionsDoNotCount() {
    UserClasses seen = UserClasses.tracking();
    seen.defined(null, "java/lang/String");
    seen.defined(ClassLoader.getPlatformClassLoader(), "java/net/http/HttpClient");
    seen.defined(ClassLoader.getSystemClassLoader(), "com/example/Main");
    assertFalse(seen.mayExist());
  }

  /** Names prove nothing: a user loader's class named like a JDK reflection accessor counts. */
  @Test
  void aUserClassNamedLikeAJdkAccessorCounts() throws Exception {
    UserClasses seen = UserClasses.tracking();
    try (URLClassLoader notebook = new URLClassLoader(new URL[0])) {
      seen.defined(notebook, "jdk/internal/reflect/GeneratedMethodAccessor1");
    }
    assertTrue(seen.mayExist());
  }

  @Test
  void aClassOfAnyOtherLoaderCounts() throws Exception {
    UserClasses seen = UserClasses.tracking();
    try (URLClassLoader notebook = new URLClassLoader(new URL[0])) {
      seen.defined(notebook, "Cell1");
    }
    assertTrue(seen.mayExist());
  }

  @Test
  void alreadyLoadedClassesAreScanned() throws Exception {
    UserClasses seen = UserClasses.tracking();
    seen.scan(new Class<?>[] {String.class, UserClassesTest.class});
    assertFalse(seen.mayExist());
    try (CallerFinderTest.UserLoader loader = new CallerFinderTest.UserLoader()) {
      seen.scan(
          new Class<?>[] {String.class, loader.define("dev.egress.agent.decide.FakeGateway")});
    }
    assertTrue(seen.mayExist());
  }

  /**
   * Until a user class exists, the finder answers platform without looking; afterwards it walks.
   */
  @Test
  void theFinderSkipsItsWalkOnlyWhileNoUserClassExists() throws Exception {
    UserClasses seen = UserClasses.tracking();
    CallerFinder finder = new CallerFinder(List.of("org.apache.hadoop.fs."), List.of(), seen);
    java.util.function.Supplier<Object> probe = finder::kind;
    try (CallerFinderTest.UserLoader loader = new CallerFinderTest.UserLoader()) {
      @SuppressWarnings("unchecked")
      java.util.function.Function<java.util.function.Supplier<Object>, Object> cell =
          (java.util.function.Function<java.util.function.Supplier<Object>, Object>)
              loader
                  .define("org.apache.hadoop.fs.WalkTestCell")
                  .getDeclaredConstructor()
                  .newInstance();
      // Not told of the definition (as if it were not there): no walk, platform.
      assertEquals(CallerKind.PLATFORM, cell.apply(probe));
      assertFalse(finder.userCodePossible());
      seen.defined(loader, "org/apache/hadoop/fs/WalkTestCell");
      assertEquals(CallerKind.USER_DIRECT, cell.apply(probe));
      assertTrue(finder.userCodePossible());
    }
  }
}
