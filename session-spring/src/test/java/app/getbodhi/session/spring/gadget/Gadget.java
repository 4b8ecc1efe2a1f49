package app.getbodhi.session.spring.gadget;

import java.io.ObjectInputStream;
import java.io.Serializable;

/**
 * Stands for a deserialization gadget: a Serializable class of some library on the classpath whose
 * {@code readObject} does something. It is outside every allow-list the tests configure; reading it
 * at all fails the test, since its {@code readObject} throws an {@link AssertionError}.
 */
public final class Gadget implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What a real gadget would run. */
  private final String command;

  /**
   * @param command what a real gadget would run
   */
  public Gadget(String command) {
    this.command = command;
  }

  @Override
  public String toString() {
    return "Gadget[" + command + "]";
  }

  private void readObject(ObjectInputStream in) {
    throw new AssertionError("a gadget was deserialized");
  }
}
