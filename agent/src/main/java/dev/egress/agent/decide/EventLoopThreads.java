package dev.egress.agent.decide;

/**
 * Tells an event-loop thread (Netty's {@code FastThreadLocalThread}, shaded or not) from the
 * others, cheaply and once per thread class. A task an event loop submits to itself or to another
 * loop carries no new requester: the stack walk is skipped there.
 */
final class EventLoopThreads {
  private static final ClassValue<Boolean> EVENT_LOOP =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          for (Class<?> c = type; c != null && c != Thread.class; c = c.getSuperclass()) {
            if (c.getName().endsWith("io.netty.util.concurrent.FastThreadLocalThread")) {
              return Boolean.TRUE;
            }
          }
          return Boolean.FALSE;
        }
      };

  private EventLoopThreads() {}

  static boolean isEventLoop(Thread t) {
    return EVENT_LOOP.get(t.getClass());
  }
}
