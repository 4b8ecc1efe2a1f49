package app.getbodhi.session.jooq;

import java.sql.SQLException;

/**
 * Cuts a driver's exception down to what a message or a log line may carry. Drivers put the error
 * itself on the first line; the lines after it (PostgreSQL's Detail and Where, a failed batch's
 * statements) may quote row values, which are session ids and data: secrets. Written once, here, so
 * that every message of every backend, its migrations and its inspections is cut the same way.
 */
public final class DriverMessages {

  /** The longest first line kept: a driver that puts a whole statement on it is cut short. */
  static final int MAX_CHARS = 300;

  private DriverMessages() {}

  /**
   * Returns the first line of the exception's message, at most {@value #MAX_CHARS} characters,
   * ending with a full stop; the exception's class name when it has no message.
   *
   * @param e the failure
   * @return a one-line reason, safe for a message
   */
  public static String firstLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    int newline = message.indexOf('\n');
    String first = (newline >= 0 ? message.substring(0, newline) : message).strip();
    if (first.length() > MAX_CHARS) {
      first = first.substring(0, MAX_CHARS) + "…";
    }
    return first.endsWith(".") ? first : first + ".";
  }

  /**
   * Returns {@link #firstLine(Throwable)} followed by the SQLState when the exception has one, as
   * in {@code relation "x" does not exist. (SQLState 42P01)}: the state is what an operator looks
   * up.
   *
   * @param e the failure
   * @return a short reason, safe for a message
   */
  public static String reason(Throwable e) {
    String state =
        e instanceof SQLException sql && sql.getSQLState() != null
            ? " (SQLState " + sql.getSQLState() + ")"
            : "";
    return firstLine(e) + state;
  }
}
