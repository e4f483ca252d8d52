package dev.egress.policy;

/**
 * A policy document that cannot be used, with the position of the offending token so that a user
 * can find it in a large file. {@link #getMessage()} reads "line L, column C, at PATH: problem".
 */
public final class PolicyException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;
  private final String jsonPath;
  private final String problem;

  public PolicyException(int line, int column, String jsonPath, String problem) {
    super("line " + line + ", column " + column + ", at " + jsonPath + ": " + problem);
    this.line = line;
    this.column = column;
    this.jsonPath = jsonPath;
    this.problem = problem;
  }

  public PolicyException(int line, int column, String jsonPath, String problem, Throwable cause) {
    this(line, column, jsonPath, problem);
    initCause(cause);
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }

  public String jsonPath() {
    return jsonPath;
  }

  /** The problem without the position prefix. */
  public String problem() {
    return problem;
  }
}
