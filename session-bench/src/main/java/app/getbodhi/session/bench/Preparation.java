package app.getbodhi.session.bench;

import app.getbodhi.session.ManagedSessionStore;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Instant;
import java.util.Set;

/**
 * Loads the data the phases need before anything is measured, and checks that every implementation
 * reads it: a fixture whose rows cannot be read would time nothing but misses.
 */
final class Preparation {

  private Preparation() {}

  /** Migrates the backend's benchmark databases and loads the fixtures asked for. */
  static void prepare(BenchRun run, BenchDb.Backend backend, Set<Phase.Fixture> fixtures)
      throws Exception {
    for (Phase.Fixture fixture : fixtures) {
      for (String name : fixture.databases) {
        try (ManagedSessionStore store = BenchDb.of(backend, name).openOurs()) {
          store.migrate();
        }
      }
    }
    Instant expiry = BenchData.liveExpiry();
    if (fixtures.contains(Phase.Fixture.POINT)) {
      long t0 = System.nanoTime();
      loadPoint(BenchDb.of(backend, "point"), expiry);
      run.log(
          String.format(
              "%s: point table ready (%.1f s)", backend.label(), (System.nanoTime() - t0) / 1e9));
    }
    if (fixtures.contains(Phase.Fixture.SCALE)) {
      for (String name : Phase.Fixture.SCALE.databases) {
        long t0 = System.nanoTime();
        BenchDb db = BenchDb.of(backend, name);
        long size = Long.parseLong(name.substring(1));
        try (HikariDataSource pool = db.openPool(1)) {
          // a million sessions through the store's batches would take minutes: sealed here by
          // the store's own Sealing, then checked against the store below
          Fixtures.insert(
              db,
              pool,
              size,
              i -> Fixtures.rowKey(BenchData.id(BenchData.SCALE_SEED, i)),
              Fixtures.sealed(Fixtures.liveRows(BenchData.SCALE_SEED, expiry)));
          Fixtures.analyze(db, pool, Fixtures.TABLE);
        }
        try (ManagedSessionStore store = db.openOurs()) {
          checkFixture(db, store, BenchData.SCALE_SEED, size);
        }
        run.log(
            String.format(
                "%s: %,d sessions loaded (%.1f s)",
                backend.label(), size, (System.nanoTime() - t0) / 1e9));
      }
    }
  }

  /**
   * The point table three times over: ours sealed by the store's own {@code saveAll}; raw JDBC's
   * plain copy beside it; Spring Session JDBC's tables from its own schema file.
   */
  private static void loadPoint(BenchDb point, Instant expiry) throws Exception {
    try (ManagedSessionStore store = point.openOurs();
        HikariDataSource pool = point.openPool(1)) {
      Fixtures.saveThroughStore(
          store, BenchData.POINT_ROWS, Fixtures.liveSessions(BenchData.POINT_SEED, expiry));
      Fixtures.createPlainTable(point, pool);
      Fixtures.insertInto(
          point,
          pool,
          Fixtures.PLAIN_TABLE,
          BenchData.POINT_ROWS,
          Fixtures.liveRows(BenchData.POINT_SEED, expiry));
      Fixtures.createSpringSchema(point, pool);
      Fixtures.insertSpring(
          pool,
          BenchData.POINT_ROWS,
          Fixtures.springRows(BenchData.POINT_SEED, System.currentTimeMillis()));
      Fixtures.analyze(
          point,
          pool,
          Fixtures.TABLE,
          Fixtures.PLAIN_TABLE,
          "SPRING_SESSION",
          "SPRING_SESSION_ATTRIBUTES");
      checkFixture(point, store, BenchData.POINT_SEED, BenchData.POINT_ROWS);
    }
    for (String impl : new String[] {"raw", "spring"}) {
      try (Impl other = Impl.open(impl, point)) {
        for (int i : new int[] {0, BenchData.POINT_ROWS - 1}) {
          if (other.load(i) == null) {
            throw new IllegalStateException(point + ": " + impl + " does not find session " + i);
          }
        }
      }
    }
  }

  /** Fails the run unless the store opens the first and the last session as they were written. */
  private static void checkFixture(BenchDb db, ManagedSessionStore store, long series, long count) {
    for (long i : new long[] {0, count - 1}) {
      Object user =
          store
              .load(BenchData.id(series, i))
              .orElseThrow(
                  () -> new IllegalStateException(db + ": the store cannot open session " + i))
              .data()
              .get("user_id");
      if (!BenchData.user(i).equals(user)) {
        throw new IllegalStateException(db + ": session " + i + " holds the wrong data");
      }
    }
  }
}
