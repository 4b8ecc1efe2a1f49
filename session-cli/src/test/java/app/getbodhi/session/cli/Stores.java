package app.getbodhi.session.cli;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionRef;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.spi.SessionStoreConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Puts sessions into a store and reads them back, for the command tests. */
final class Stores {

  private Stores() {}

  /** A session that is live for a day, of a user (or none when {@code user} is null). */
  static SessionRecord live(String user) {
    return record(user, Instant.now().plus(Duration.ofDays(1)));
  }

  /** A session that expired an hour ago. */
  static SessionRecord expired(String user) {
    return record(user, Instant.now().minus(Duration.ofHours(1)));
  }

  private static SessionRecord record(String user, Instant expiry) {
    Map<String, Object> data = new LinkedHashMap<>();
    if (user != null) {
      data.put(SessionRecord.USER_ID_KEY, user);
    }
    data.put("visits", 3L);
    data.put("cart", List.of("tea", Map.of("sku", "x1", "qty", 2L)));
    return new SessionRecord(SessionId.generate(), data, expiry);
  }

  /**
   * The same live session with a lifecycle of its own, as a session layer stores it: created three
   * days ago, last written an hour ago, with its own timeout reaching from then to its expiry. A
   * store keeps these as given instead of stamping its clock's instant.
   */
  static SessionRecord withLifecycle(SessionRecord record) {
    Instant now = Instant.now();
    Instant lastAccess = now.minus(Duration.ofHours(1));
    return new SessionRecord(
        record.id(),
        record.data(),
        record.expiryDate(),
        Optional.of(now.minus(Duration.ofDays(3))),
        Optional.of(lastAccess),
        Optional.of(Duration.between(lastAccess, record.expiryDate())),
        0);
  }

  /**
   * What a copy must carry over for each session of the commands' tests: its id, data and expiry,
   * without the times, timeout and revision a store adds or keeps (compared on their own where a
   * test means to).
   */
  static List<SessionRecord> content(List<SessionRecord> records) {
    return records.stream().map(r -> new SessionRecord(r.id(), r.data(), r.expiryDate())).toList();
  }

  /** Saves sessions into the store at a URL (migrating it first) and returns them. */
  static List<SessionRecord> seed(String url, SessionRecord... records) {
    return seed(url, SessionStoreConfig.defaults(), records);
  }

  /**
   * Saves sessions into the store at a URL opened with a config (its secret, say), migrating it
   * first, and returns them.
   */
  static List<SessionRecord> seed(String url, SessionStoreConfig config, SessionRecord... records) {
    try (SessionStoreBackend store = SessionStoreBackend.connect(url, config)) {
      for (SessionRecord record : records) {
        store.save(record);
      }
    }
    return List.of(records);
  }

  /**
   * Loads each session from the store at a URL, with the times and revision the store keeps; absent
   * ones are left out.
   */
  static List<SessionRecord> load(String url, List<SessionRecord> records) {
    return load(url, SessionStoreConfig.defaults(), records);
  }

  /**
   * Loads each session from the store at a URL opened with a config (its secret, say), as a server
   * with those settings would; absent ones are left out.
   */
  static List<SessionRecord> load(
      String url, SessionStoreConfig config, List<SessionRecord> records) {
    try (SessionStoreBackend store = SessionStoreBackend.connect(url, config)) {
      List<SessionRecord> found = new ArrayList<>();
      for (SessionRecord record : records) {
        store.load(record.id()).ifPresent(found::add);
      }
      return found;
    }
  }

  /**
   * The refs the store at a URL keeps sessions under: what {@code sessions list} and {@code dump}
   * print for them.
   */
  static List<String> refs(String url, List<SessionRecord> records) {
    try (SessionStoreBackend store = SessionStoreBackend.connect(url)) {
      return records.stream()
          .map(record -> store.refOf(record.id()))
          .map(SessionRef::value)
          .toList();
    }
  }

  /** The ref of one session in the store at a URL. */
  static String ref(String url, SessionRecord record) {
    return refs(url, List.of(record)).get(0);
  }

  /** How many sessions the store at a URL holds, expired ones included. */
  static int stored(String url) {
    try (SessionStoreBackend store = SessionStoreBackend.connect(url)) {
      return store.streamAllSessions(1000).toList().size();
    }
  }
}
