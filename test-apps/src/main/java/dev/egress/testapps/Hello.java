package dev.egress.testapps;

/** Does nothing on the network: start-up and attach checks. */
public final class Hello {
  private Hello() {}

  public static void main(String[] args) {
    System.out.println("Hello from " + System.getProperty("java.version"));
  }
}
