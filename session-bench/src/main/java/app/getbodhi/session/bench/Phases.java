package app.getbodhi.session.bench;

import static app.getbodhi.session.bench.BenchDb.Backend.MARIADB;
import static app.getbodhi.session.bench.BenchDb.Backend.POSTGRES;
import static app.getbodhi.session.bench.BenchDb.Backend.SQLITE;
import static app.getbodhi.session.bench.Phase.Fixture.POINT;
import static app.getbodhi.session.bench.Phase.Fixture.SCALE;
import static app.getbodhi.session.bench.Phase.Fixture.SCRATCH;

import app.getbodhi.session.bench.Phase.Fixture;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Every phase of a run, in the order they run. */
final class Phases {

  private static final Set<BenchDb.Backend> EVERY_BACKEND = Set.of(SQLITE, POSTGRES, MARIADB);
  private static final Set<BenchDb.Backend> FILE_AND_SERVER = Set.of(SQLITE, POSTGRES);
  private static final Set<BenchDb.Backend> FILE_ONLY = Set.of(SQLITE);

  /**
   * The phase table. {@code point} brings {@code sealing} and {@code spring} (about two minutes
   * each per backend), which can also run alone; the million-row phases run on SQLite and
   * PostgreSQL.
   */
  static final List<Phase> ALL =
      List.of(
          phase("point", EVERY_BACKEND, Set.of(POINT), PointPhases::point),
          // sealing's cost per call is read against the point benchmarks' load
          phase("sealing", Set.of(), Set.of(), PointPhases::sealing, "point"),
          phase("breakdown", FILE_ONLY, Set.of(POINT), PointPhases::breakdown, "point", "sealing"),
          phase("spring", FILE_AND_SERVER, Set.of(POINT), PointPhases::springFilter, "point"),
          // requests over real HTTP: about two minutes on two busy cores, on the point data
          phase("webflux", FILE_AND_SERVER, Set.of(POINT), PointPhases::webflux),
          phase("scale", FILE_AND_SERVER, Set.of(SCALE), TablePhases::scale),
          phase("expired", FILE_AND_SERVER, Set.of(SCRATCH), TablePhases::expired),
          phase("pgbench", Set.of(POSTGRES), Set.of(), ProcessPhases::pgbench),
          phase("memory", FILE_AND_SERVER, Set.of(SCALE, SCRATCH), ProcessPhases::memory));

  private Phases() {}

  /**
   * A row of the table.
   *
   * @param name the phase's name in {@code BENCH_PHASES}, which runs it
   * @param backends where it runs; empty for a phase that needs no database
   * @param fixtures the data it needs on each of its backends
   * @param body the measurement
   * @param broughtBy the other names in {@code BENCH_PHASES} that run it too
   */
  private static Phase phase(
      String name,
      Set<BenchDb.Backend> backends,
      Set<Fixture> fixtures,
      Phase.Body body,
      String... broughtBy) {
    Set<String> selectedBy = new HashSet<>(List.of(broughtBy));
    selectedBy.add(name);
    return new Phase(name, selectedBy, backends, fixtures, body);
  }
}
