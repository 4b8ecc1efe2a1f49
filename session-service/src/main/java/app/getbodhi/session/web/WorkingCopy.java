package app.getbodhi.session.web;

import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One request's copy of a session's data, and the keys this request put or removed: what a {@link
 * SessionHandle} writes, and what it re-applies to the row as stored when a concurrent request
 * changed it meanwhile (per-key merge). Not thread-safe.
 */
final class WorkingCopy {

  /** Marks a key this request removed, in {@link #changes}. */
  private static final Object REMOVED = new Object();

  private final Map<String, Object> data;
  private final Map<String, Object> changes = new LinkedHashMap<>(); // this request's, by key

  /** A copy of {@code initial}, with no changes yet. */
  WorkingCopy(Map<String, Object> initial) {
    this.data = new LinkedHashMap<>(initial);
  }

  Optional<Object> get(String key) {
    return Optional.ofNullable(data.get(key));
  }

  Set<String> keys() {
    return Collections.unmodifiableSet(data.keySet());
  }

  /** The data as it would be written; a live view, not to be changed. */
  Map<String, Object> data() {
    return data;
  }

  /** Puts a JSON value; setting the value a key already has is no change. */
  void put(String key, Object json) {
    Object previous = data.put(key, json);
    if (!json.equals(previous) || changes.containsKey(key)) {
      changes.put(key, json);
    }
  }

  void remove(String key) {
    if (data.containsKey(key) || changes.containsKey(key)) {
      data.remove(key);
      changes.put(key, REMOVED);
    }
  }

  boolean hasChanges() {
    return !changes.isEmpty();
  }

  /** Called once written: what is here now is what is stored. */
  void clearChanges() {
    changes.clear();
  }

  /**
   * Takes a reloaded session's data as the base and re-applies this request's own changes to it.
   *
   * @return a copy holding the merged data and the same changes
   */
  WorkingCopy rebasedOn(Map<String, Object> current) {
    WorkingCopy merged = new WorkingCopy(current);
    for (Map.Entry<String, Object> change : changes.entrySet()) {
      if (change.getValue() == REMOVED) {
        merged.data.remove(change.getKey());
      } else {
        merged.data.put(change.getKey(), change.getValue());
      }
    }
    merged.changes.putAll(changes);
    return merged;
  }

  /** The values this request itself put, without the removals. */
  Map<String, Object> ownPuts() {
    Map<String, Object> own = new LinkedHashMap<>(changes);
    for (Iterator<Object> values = own.values().iterator(); values.hasNext(); ) {
      if (values.next() == REMOVED) {
        values.remove();
      }
    }
    return own;
  }
}
