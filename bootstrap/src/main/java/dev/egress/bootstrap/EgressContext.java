package dev.egress.bootstrap;

import java.util.concurrent.Executor;

/**
 * The requester's context, carried to the threads that do the work of its request. An HTTP client
 * connects on its own worker or event-loop threads, whose stacks hold no trace of the notebook cell
 * or UDF that asked; the agent captures who asked where the request is made and installs it on the
 * worker for the duration of each task of that request.
 *
 * <p>The context object is the agent's own; this class only stores and forwards it.
 */
public final class EgressContext {
  private static final ThreadLocal<Object> CURRENT = new ThreadLocal<>();

  private EgressContext() {}

  /** The requester on whose behalf this thread runs now, or null. */
  public static Object current() {
    return CURRENT.get();
  }

  /** An executor that runs each task with {@code context} installed. */
  public static Executor carrying(Executor delegate, Object context) {
    return new ContextExecutor(delegate, context);
  }

  /** {@code task}, to run with {@code context} installed. */
  public static Runnable wrap(Runnable task, Object context) {
    return task instanceof ContextTask ? task : new ContextTask(task, context);
  }

  /** Runs {@code task} with {@code context} installed, then restores what was there. */
  static void runWith(Object context, Runnable task) {
    Object previous = CURRENT.get();
    CURRENT.set(context);
    try {
      task.run();
    } finally {
      if (previous == null) {
        CURRENT.remove();
      } else {
        CURRENT.set(previous);
      }
    }
  }

  private static final class ContextExecutor implements Executor {
    private final Executor delegate;
    private final Object context;

    ContextExecutor(Executor delegate, Object context) {
      this.delegate = delegate;
      this.context = context;
    }

    @Override
    public void execute(Runnable task) {
      delegate.execute(new ContextTask(task, context));
    }
  }

  private static final class ContextTask implements Runnable {
    private final Runnable task;
    private final Object context;

    ContextTask(Runnable task, Object context) {
      this.task = task;
      this.context = context;
    }

    @Override
    public void run() {
      runWith(context, task);
    }
  }
}
