package app.getbodhi.session.spring.upstream;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.spring.TestBackend;
import app.getbodhi.session.tck.CountingDataSource;
import app.getbodhi.session.tck.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;

/**
 * What the ported suites stand on instead of upstream's Spring test context: a fresh database of
 * one backend per class, and per test a migrated store on a counted data source, with no session
 * left by an earlier test. A suite's own {@code @BeforeEach} runs after this one's.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OnBackend {

  private final TestBackend backend;

  private TestDatabase database;

  /** Counts the statements the store runs. */
  CountingDataSource counted;

  /** The store of the current test. */
  ManagedSessionStore store;

  OnBackend(TestBackend backend) {
    this.backend = backend;
  }

  @BeforeAll
  void openDatabase() {
    this.database = this.backend.newDatabase();
  }

  @AfterAll
  void closeDatabase() {
    this.database.close();
  }

  @BeforeEach
  void openStore() {
    this.counted = new CountingDataSource(this.database.dataSource());
    this.store = this.backend.openStore(this.counted);
    this.store.clearAllSessions();
    this.counted.reset();
  }

  @AfterEach
  void closeStore() {
    this.store.close();
  }
}
