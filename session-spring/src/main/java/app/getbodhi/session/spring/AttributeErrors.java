package app.getbodhi.session.spring;

import app.getbodhi.session.SessionServiceException;

/**
 * The errors the session and its attribute codecs throw about one attribute, all of kind {@code
 * SERIALIZATION} and all worded alike: each names the attribute and at most the class of its value,
 * never the value or its stored text (they are session data).
 */
final class AttributeErrors {

  /** What every codec tells the application to do with a value it cannot store. */
  private static final String STORE_JSON =
      "; store JSON values (String, Number, Boolean, List, Map), or configure a"
          + " SessionAttributeCodec bean";

  private AttributeErrors() {}

  /**
   * An error about an attribute.
   *
   * @param name the attribute's name
   * @param what what is wrong with it, a sentence that follows the name
   * @return "Session attribute 'name' what"
   */
  static SessionServiceException attribute(String name, String what) {
    return new SessionServiceException(
        SessionServiceException.Kind.SERIALIZATION, "Session attribute '" + name + "' " + what);
  }

  /**
   * An error about the value an application sets, naming its class.
   *
   * @param name the attribute's name
   * @param value the value; only its class is named
   * @param what what is wrong with it, following "holds a CLASS"
   * @return "Session attribute 'name' holds a CLASS" and what
   */
  static SessionServiceException holding(String name, Object value, String what) {
    return attribute(name, "holds a " + value.getClass().getName() + what);
  }

  /**
   * The refusal of a value no codec can store, advising JSON values or a codec bean.
   *
   * @param name the attribute's name
   * @param value the value; only its class is named
   * @param why what the value is not, following "which is"
   * @param bean what the advised codec bean must do, or empty
   * @return the refusal, naming the attribute and the value's class
   */
  static SessionServiceException notStorable(String name, Object value, String why, String bean) {
    return holding(name, value, ", which is " + why + STORE_JSON + bean + ".");
  }

  /**
   * A stored value that cannot be read back.
   *
   * @param name the attribute's name
   * @param form the stored form, such as "serialized value"
   * @param why why it cannot be read; never quotes the stored text
   * @return "Session attribute 'name' holds a FORM that cannot be read: why."
   */
  static SessionServiceException unreadable(String name, String form, String why) {
    return attribute(name, "holds a " + form + " that cannot be read: " + why + ".");
  }
}
