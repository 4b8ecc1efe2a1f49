package app.getbodhi.session.web;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SessionStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the session a request's cookies select, for {@link SessionHandle}: only well-formed ids are
 * looked up, at most {@value #MAX_COOKIE_CANDIDATES} of them, and a row whose data cannot be read
 * counts as no session.
 */
final class CookieLookup {

  private static final Logger LOG = LoggerFactory.getLogger(CookieLookup.class);

  /** How many well-formed ids from same-named cookies are tried before giving up. */
  static final int MAX_COOKIE_CANDIDATES = 3;

  /**
   * The live session a cookie selected.
   *
   * @param selectedBy the cookie's id
   * @param record the session as stored
   */
  record Found(SessionId selectedBy, SessionRecord record) {}

  private CookieLookup() {}

  /** The well-formed ids among the cookie values, in the client's order. */
  static List<SessionId> wellFormed(List<String> cookieValues) {
    List<SessionId> ids = new ArrayList<>(1);
    for (String value : cookieValues) {
      SessionId.parse(value).ifPresent(ids::add);
    }
    return ids;
  }

  /** The first live session that a well-formed cookie names, trying a few at most. */
  static Optional<Found> find(SessionStore store, List<String> cookieValues) {
    int tried = 0;
    for (SessionId candidate : wellFormed(cookieValues)) {
      Optional<SessionRecord> record = loadReadable(store, candidate);
      if (record.isPresent()) {
        return Optional.of(new Found(candidate, record.get()));
      }
      if (++tried >= MAX_COOKIE_CANDIDATES) {
        break;
      }
    }
    return Optional.empty();
  }

  /**
   * Loads a session, treating a row whose data cannot be read as no session: such a row (written by
   * an older release in another format, or damaged) would otherwise fail every request of that
   * browser until it expired. The id is not adopted: a session started now gets a fresh one.
   * Database failures still propagate, so a broken store fails the request.
   */
  static Optional<SessionRecord> loadReadable(SessionStore store, SessionId candidate) {
    try {
      return store.load(candidate);
    } catch (SessionServiceException e) {
      if (e.kind() != SessionServiceException.Kind.SERIALIZATION) {
        throw e;
      }
      LOG.warn("Ignoring unreadable stored session {}: {}", candidate, e.getMessage());
      return Optional.empty();
    }
  }
}
