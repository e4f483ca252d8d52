package dev.egress.testapps.hostile;

import dev.egress.testapps.UserCode;
import java.net.URLClassLoader;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Platform code (a class of the application loader) that shares its pools with user code: first
 * {@link Hostile}, loaded as user code, runs the given actions on a thread it starts itself (so the
 * submitting thread carries the user requester, and it is that thread that starts the pools'
 * workers), then this very class's own copy of Hostile (platform code) runs them again, on the main
 * thread, on the same pools: one scheduled pool with one thread, and the common pool. Each action
 * gets the suffix {@code |user} or {@code |platform} so that the two runs print distinct labels.
 * {@code PoolReuse action...}
 */
public final class PoolReuse {
  private PoolReuse() {}

  public static void main(String[] args) throws Exception {
    ScheduledThreadPoolExecutor shared = new ScheduledThreadPoolExecutor(1);
    try (URLClassLoader loader = UserCode.loader()) {
      Class<?> user = UserCode.load(Hostile.class.getName(), loader);
      user.getMethod("useScheduler", ScheduledExecutorService.class).invoke(null, shared);
      user.getMethod("mainOnOwnThread", String[].class)
          .invoke(null, (Object) suffixed(args, "user"));
    }
    Hostile.useScheduler(shared);
    Hostile.main(suffixed(args, "platform"));
    shared.shutdown();
  }

  private static String[] suffixed(String[] actions, String suffix) {
    String[] out = new String[actions.length];
    for (int i = 0; i < actions.length; i++) {
      out[i] = actions[i] + "|" + suffix;
    }
    return out;
  }
}
