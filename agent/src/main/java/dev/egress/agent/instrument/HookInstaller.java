package dev.egress.agent.instrument;

import dev.egress.agent.decide.UserClasses;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Registers the transformer and retransforms the few target classes that are already loaded.
 * Classes loaded later are transformed as they load. Only the named target classes are looked at.
 */
public final class HookInstaller {
  private final UserClasses userClasses;
  private final HookTransformer transformer;
  private volatile Instrumentation instrumentation;

  /**
   * {@code userClasses} is told of every class definition the transformer sees, and of those
   * before.
   */
  public HookInstaller(UserClasses userClasses) {
    this.userClasses = userClasses;
    this.transformer = new HookTransformer(userClasses);
  }

  public void install(Instrumentation inst) {
    instrumentation = inst;
    // Load what transform() touches before it can be called: a class needed by its own transform
    // would be defined twice.
    HookPoints.librarySuffix("");
    userClasses.defined(null, "");
    inst.addTransformer(transformer, true);
    Class<?>[] all = inst.getAllLoadedClasses(); // one snapshot for both uses
    userClasses.scan(all); // attached at run time: classes defined before
    List<Class<?>> loaded = loadedTargets(all);
    if (!loaded.isEmpty()) {
      try {
        inst.retransformClasses(loaded.toArray(new Class<?>[0]));
      } catch (Throwable t) {
        for (Class<?> c : loaded) {
          transformer.failures().put(c.getName().replace('.', '/'), "retransform failed: " + t);
        }
      }
    }
  }

  /** The JDK's own copies of the target classes among {@code all}. */
  private static List<Class<?>> loadedTargets(Class<?>[] all) {
    List<Class<?>> loaded = new ArrayList<>();
    for (Class<?> c : all) {
      ClassLoader l = c.getClassLoader();
      if ((l == null || l == ClassLoader.getPlatformClassLoader())
          && HookPoints.EXPECTED.containsKey(c.getName().replace('.', '/'))) {
        loaded.add(c);
      }
    }
    return loaded;
  }

  /**
   * Target classes loaded now that went through the transformer neither with hooks nor with a
   * failure (a retransformation that never reached it): for the self-test. Empty before install.
   */
  public List<String> loadedWithoutHooks() {
    Instrumentation inst = instrumentation;
    List<String> missing = new ArrayList<>();
    if (inst == null) {
      return missing;
    }
    for (Class<?> c : loadedTargets(inst.getAllLoadedClasses())) {
      String name = c.getName().replace('.', '/');
      if (!transformer.instrumentedSites().containsKey(name)
          && !transformer.failures().containsKey(name)) {
        missing.add(name);
      }
    }
    return missing;
  }

  /** Target classes that failed to transform, with the reason. */
  public Map<String, String> failures() {
    return new TreeMap<>(transformer.failures());
  }
}
