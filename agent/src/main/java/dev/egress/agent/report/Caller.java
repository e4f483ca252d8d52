package dev.egress.agent.report;

/**
 * The code that asked for the connection (SPEC section 6, {@code caller}).
 *
 * @param className binary class name
 * @param method method name
 * @param line source line, or a negative number when unknown (written as null)
 * @param codeSource the class's code source location, or null
 * @param userCode whether the class counts as user code (SPEC section 5)
 */
public record Caller(
    String className, String method, int line, String codeSource, boolean userCode) {
  public Caller {
    className = Text.cap(className);
    method = Text.cap(method);
    codeSource = Text.cap(codeSource);
  }
}
