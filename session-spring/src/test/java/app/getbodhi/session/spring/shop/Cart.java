package app.getbodhi.session.spring.shop;

import java.io.Serializable;
import java.util.List;

/**
 * An application's own Serializable type, in the package the tests allow for JDK serialization.
 *
 * @param items what is in the cart
 * @param extra anything else the application hangs on it
 */
public record Cart(List<String> items, Serializable extra) implements Serializable {}
