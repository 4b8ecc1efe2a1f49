package app.getbodhi.session.tck;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A group of contract tests kept in a file of its own. A contract nests a subclass of each group
 * that answers {@link #kit()} with the contract's own instance, so the group runs for every backend
 * that extends the contract.
 */
abstract class ContractGroup {

  /**
   * Returns the contract running the group: the current test's database, clock and stores, and the
   * kit's helpers. Read them there per test, as the kit makes new ones for each.
   *
   * @return the contract's test instance
   */
  abstract StoreContractKit kit();

  /** A map of the keys and values in order; unlike {@link Map#of}, it takes {@code null} values. */
  static Map<String, Object> mapOf(Object... keysAndValues) {
    Map<String, Object> map = new LinkedHashMap<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      map.put((String) keysAndValues[i], keysAndValues[i + 1]);
    }
    return map;
  }
}
