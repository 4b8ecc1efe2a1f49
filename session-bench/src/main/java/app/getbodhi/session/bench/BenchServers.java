package app.getbodhi.session.bench;

import app.getbodhi.session.mariadb.testing.MariaDbServer;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The database servers of a run, the tests' own fixtures: an embedded PostgreSQL (or the server of
 * {@code BODHI_TEST_PG_URL}) with a schema per benchmark database, and an embedded MariaDB (or the
 * server of {@link MariaDbServer#URL_ENV}) with a database per benchmark database. The benchmark
 * databases are made fresh at the start; on a server the run did not start, they are dropped at the
 * end.
 */
final class BenchServers implements AutoCloseable {

  /**
   * The embedded PostgreSQL's settings: as SQLite's synchronous=NORMAL in WAL mode, commits do not
   * wait for the disk; unlike the tests' server, fsync stays on, as on a real one. The embedded
   * MariaDB's counterpart is the fixture's {@code innodb-flush-log-at-trx-commit=2}.
   */
  static final Map<String, String> PG_SERVER_SETTINGS =
      Map.of("synchronous_commit", "off", "max_connections", "200");

  private final Consumer<String> log;
  private PostgresFixture pg;
  private MariaDbServer mariadb;
  private final List<String> pgSchemas = new ArrayList<>();
  private final List<String> mariadbDatabases = new ArrayList<>();

  BenchServers(Consumer<String> log) {
    this.log = log;
  }

  /**
   * Starts (or connects to) the server of a backend and makes its benchmark databases; SQLite needs
   * nothing. Tells the JMH forks where the server is.
   */
  void start(BenchDb.Backend backend, List<String> databases, BenchRun run) {
    switch (backend) {
      case SQLITE -> {}
      case POSTGRES -> {
        pg = PostgresFixture.start(PG_SERVER_SETTINGS, PgSessionStore::dataSource);
        log.accept("PostgreSQL: " + pg);
        System.setProperty(BenchDb.PG_URL, pg.serverUrl());
        run.forkArg("-D" + BenchDb.PG_URL + "=" + pg.serverUrl());
        for (String name : databases) {
          String schema = BenchDb.of(backend, name).schema();
          pg.executeAdmin("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
          pg.executeAdmin("CREATE SCHEMA " + schema);
          pgSchemas.add(schema);
        }
      }
      case MARIADB -> {
        mariadb = MariaDbServer.shared();
        log.accept("MariaDB: " + mariadb);
        // the forks use this server as an external one instead of starting their own
        run.forkArg("-D" + MariaDbServer.URL_ENV + "=" + mariadb.serverUrl());
        for (String name : databases) {
          String database = BenchDb.of(backend, name).schema();
          mariadb.executeAdmin("DROP DATABASE IF EXISTS " + database);
          mariadb.executeAdmin("CREATE DATABASE " + database);
          mariadbDatabases.add(database);
        }
      }
    }
  }

  /** The PostgreSQL server, for pgbench. */
  PostgresFixture postgres() {
    if (pg == null) {
      throw new IllegalStateException("PostgreSQL was not started");
    }
    return pg;
  }

  @Override
  public void close() {
    try {
      if (mariadb != null && !mariadb.embedded()) {
        mariadbDatabases.forEach(d -> mariadb.executeAdmin("DROP DATABASE IF EXISTS " + d));
      }
    } catch (IllegalStateException e) {
      log.accept("could not drop the benchmark databases: " + e.getMessage());
    }
    // the embedded MariaDB stops with the JVM, by the fixture's shutdown hook
    if (pg == null) {
      return;
    }
    try {
      if (!pg.embedded()) {
        pgSchemas.forEach(s -> pg.executeAdmin("DROP SCHEMA IF EXISTS " + s + " CASCADE"));
      }
    } catch (IllegalStateException e) {
      log.accept("could not drop the benchmark schemas: " + e.getMessage());
    } finally {
      pg.close();
    }
  }
}
