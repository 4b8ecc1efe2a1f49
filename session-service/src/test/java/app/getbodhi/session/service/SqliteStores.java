package app.getbodhi.session.service;

import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import java.nio.file.Path;
import java.time.Clock;

/** The SQLite store the tests of this module run on, opened the one way they all open it. */
public final class SqliteStores {

  private SqliteStores() {}

  /**
   * Opens and migrates a store in {@code s.sqlite} under a test's folder; the caller closes it.
   *
   * @param dir the test's temporary folder
   * @param clock the clock the store reads
   * @return the migrated store
   */
  public static SqliteSessionStore migrated(Path dir, Clock clock) {
    SqliteSessionStore store =
        SqliteSessionStore.open(
            "sqlite:" + dir.resolve("s.sqlite"), SessionStoreConfig.defaults().withClock(clock));
    store.migrate();
    return store;
  }
}
