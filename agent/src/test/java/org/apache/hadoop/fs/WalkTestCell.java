package org.apache.hadoop.fs;

import java.util.function.Function;
import java.util.function.Supplier;

/**
 * For CallerFinderTest: a gateway by its prefix when loaded from the class path, a user cell when a
 * notebook-like loader defines it again. Calls through one of its own lambdas, so the walk also
 * meets the lambda's hidden class.
 */
public class WalkTestCell implements Function<Supplier<Object>, Object> {
  @Override
  public Object apply(Supplier<Object> inner) {
    Supplier<Object> viaLambda = () -> inner.get();
    return viaLambda.get();
  }
}
