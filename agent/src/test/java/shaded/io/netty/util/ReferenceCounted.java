package shaded.io.netty.util;

/** Stands for a (shaded) Netty {@code ReferenceCounted}: the agent finds it by name. */
public interface ReferenceCounted {
  boolean release();
}
