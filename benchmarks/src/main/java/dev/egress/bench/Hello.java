package dev.egress.bench;

/** Child-JVM workload for start-up cost: does nothing but print. */
public final class Hello {
  public static void main(String[] args) {
    System.out.println("Hello");
  }
}
