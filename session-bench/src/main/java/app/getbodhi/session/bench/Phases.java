package app.getbodhi.session.bench;

import static app.getbodhi.session.bench.BenchDb.Backend.MARIADB;
import static app.getbodhi.session.bench.BenchDb.Backend.POSTGRES;
import static app.getbodhi.session.bench.BenchDb.Backend.SQLITE;

import app.getbodhi.session.bench.Phase.Fixture;
import java.util.List;
import java.util.Set;

/** Every phase of a run, in the order they run. */
final class Phases {

  private static final Set<BenchDb.Backend> EVERY_BACKEND = Set.of(SQLITE, POSTGRES, MARIADB);

  /**
   * The phase table. {@code point} brings {@code sealing} and {@code spring} (about two minutes
   * each per backend), which can also run alone; the million-row phases run on SQLite and
   * PostgreSQL.
   */
  static final List<Phase> ALL =
      List.of(
          new Phase(
              "point", Set.of("point"), EVERY_BACKEND, Set.of(Fixture.POINT), PointPhases::point),
          // sealing's cost per call is read against the point benchmarks' load
          new Phase(
              "sealing", Set.of("point", "sealing"), Set.of(), Set.of(), PointPhases::sealing),
          new Phase(
              "breakdown",
              Set.of("point", "sealing", "breakdown"),
              Set.of(SQLITE),
              Set.of(Fixture.POINT),
              PointPhases::breakdown),
          new Phase(
              "spring",
              Set.of("point", "spring"),
              Set.of(SQLITE, POSTGRES),
              Set.of(Fixture.POINT),
              PointPhases::springFilter),
          // requests over real HTTP: about two minutes on two busy cores, on the point data
          new Phase(
              "webflux",
              Set.of("webflux"),
              Set.of(SQLITE, POSTGRES),
              Set.of(Fixture.POINT),
              PointPhases::webflux),
          new Phase(
              "scale",
              Set.of("scale"),
              Set.of(SQLITE, POSTGRES),
              Set.of(Fixture.SCALE),
              TablePhases::scale),
          new Phase(
              "expired",
              Set.of("expired"),
              Set.of(SQLITE, POSTGRES),
              Set.of(Fixture.SCRATCH),
              TablePhases::expired),
          new Phase(
              "pgbench", Set.of("pgbench"), Set.of(POSTGRES), Set.of(), ProcessPhases::pgbench),
          new Phase(
              "memory",
              Set.of("memory"),
              Set.of(SQLITE, POSTGRES),
              Set.of(Fixture.SCALE, Fixture.SCRATCH),
              ProcessPhases::memory));

  private Phases() {}
}
