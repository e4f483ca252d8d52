package dev.egress.bootstrap;

import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The requester of each {@code ForkJoinTask} submitted by one, from its submission until it starts
 * to run. A side table, not a wrapper: the task must stay the very object submitted (a {@code
 * CompletableFuture}'s async task is a {@code ForkJoinTask} whose type the pool and the future rely
 * on). Keys are weak and compared by identity (a task class may define {@code equals}); a task that
 * never runs (cancelled, pool shut down) leaves with its key.
 */
final class TaskContexts {
  private final ConcurrentHashMap<Key, Object> byTask = new ConcurrentHashMap<>();
  private final ReferenceQueue<Object> collected = new ReferenceQueue<>();

  /**
   * How many entries there are: zero, the common case, keeps a task's start to one volatile read.
   */
  private final AtomicInteger size = new AtomicInteger();

  boolean isEmpty() {
    return size.get() == 0;
  }

  void put(Object task, Object context) {
    for (Reference<?> r; (r = collected.poll()) != null; ) {
      if (byTask.remove(r) != null) {
        size.decrementAndGet();
      }
    }
    if (byTask.put(new Key(task, collected), context) == null) {
      size.incrementAndGet();
    }
  }

  /** Removes and returns the requester of {@code task}, or null. */
  Object take(Object task) {
    Object context = byTask.remove(new Key(task, null));
    if (context != null) {
      size.decrementAndGet();
    }
    return context;
  }

  private static final class Key extends WeakReference<Object> {
    private final int hash;

    Key(Object task, ReferenceQueue<Object> queue) {
      super(task, queue);
      hash = System.identityHashCode(task);
    }

    @Override
    public int hashCode() {
      return hash;
    }

    @Override
    public boolean equals(Object o) {
      if (o == this) {
        return true;
      }
      Object task = get();
      return o instanceof Key && task != null && task == ((Key) o).get();
    }
  }
}
