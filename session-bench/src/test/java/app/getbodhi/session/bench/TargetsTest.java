package app.getbodhi.session.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Targets are judged from the recorded figures, and only where both sides were measured. */
class TargetsTest {

  private final Results results = new Results();

  @Test
  void aRatioIsOursOverTheAnchorAndMetAtOrAboveItsLimit() {
    results.add(new Results.Row("requestReadOnly", "mariadb", 1, "ours", 5_000));
    results.add(new Results.Row("requestReadOnly", "mariadb", 1, "spring", 1_000));
    results.add(new Results.Row("requestReadOnly", "mariadb", 8, "ours", 4_000));
    results.add(new Results.Row("requestReadOnly", "mariadb", 8, "spring", 1_000));
    Target target =
        Target.ratio(
            "read-only request", "requestReadOnly", "spring", 5, Set.of(BenchDb.Backend.MARIADB));

    List<Target.Outcome> outcomes = Targets.evaluate(List.of(target), results);

    assertThat(outcomes).extracting(Target.Outcome::threads).containsExactly(1, 8);
    assertThat(outcomes).extracting(Target.Outcome::met).containsExactly(true, false);
    assertThat(outcomes.get(0).figure()).isEqualTo("5×");
    assertThat(outcomes.get(1).anchor()).isEqualTo("Spring Session JDBC 1,000/s");
    assertThat(Report.targetTable(outcomes))
        .contains("| read-only request | mariadb | 8 | 4,000/s |")
        .contains("| 4× | ≥ 5× | **not met** |");
  }

  @Test
  void webfluxReadOnlyOnSqliteIsJudgedAgainstSessionsInMemory() {
    results.add(new Results.Row("webfluxReadOnly", "sqlite", 1, "ours", 600));
    results.add(new Results.Row("webfluxReadOnly", "sqlite", 1, "memory", 1_000));
    results.add(new Results.Row("webfluxReadOnly", "sqlite", 8, "ours", 400));
    results.add(new Results.Row("webfluxReadOnly", "sqlite", 8, "memory", 1_000));
    // a figure, not a target: no outcome on PostgreSQL
    results.add(new Results.Row("webfluxReadOnly", "postgres", 1, "ours", 100));
    results.add(new Results.Row("webfluxReadOnly", "postgres", 1, "memory", 1_000));

    List<Target.Outcome> outcomes = Targets.evaluate(Targets.ALL, results);

    assertThat(outcomes)
        .extracting(o -> o.backend(), Target.Outcome::threads, Target.Outcome::met)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(BenchDb.Backend.SQLITE, 1, true),
            org.assertj.core.groups.Tuple.tuple(BenchDb.Backend.SQLITE, 8, false));
    assertThat(outcomes.get(0).anchor()).isEqualTo("Spring Session in memory 1,000/s");
    BenchSettings settings =
        new BenchSettings(
            false,
            List.of(BenchDb.Backend.SQLITE, BenchDb.Backend.POSTGRES),
            List.of("webflux"),
            java.nio.file.Path.of("w"),
            java.nio.file.Path.of("o"),
            java.util.Optional.empty());
    assertThat(new Report(settings, results).render(1))
        .contains("## WebFlux over HTTP: ours against Spring Session's sessions in memory")
        .contains("| postgres | 1 | 100 | 1,000 | 0.10 |");
  }

  @Test
  void bothOrdersOfAQuickRunAreAveraged() {
    results.add(new Results.Row("save", "sqlite", 1, "ours", 900));
    results.add(new Results.Row("save", "sqlite", 1, "ours", 1_100));

    assertThat(results.score("save", "sqlite", 1, "ours")).contains(1_000.0);
  }

  @Test
  void aTargetWhoseFiguresWereNotMeasuredGivesNoOutcome() {
    results.add(new Results.Row("save", "sqlite", 1, "ours", 1_000));

    assertThat(Targets.evaluate(Targets.ALL, results)).isEmpty();
  }

  @Test
  void growthComparesLatencyAtTheLargestTableWithTheSmallest() {
    results.add(new Results.Row("load @10k", "sqlite", 1, "ours", 10_000));
    results.add(new Results.Row("load @1M", "sqlite", 1, "ours", 4_000));
    Target target = Target.growth("load", "load", 2, Set.of(BenchDb.Backend.SQLITE));

    Target.Outcome outcome = Targets.evaluate(List.of(target), results).get(0);

    assertThat(outcome.figure()).isEqualTo("2.5×");
    assertThat(outcome.ours()).isEqualTo("250.0 µs at 1M");
    assertThat(outcome.met()).isFalse();
  }

  @Test
  void aRateAndACheckAreJudgedOnOurFigureAlone() {
    results.add(new Results.Row(TablePhases.expiredOp("1M"), "postgres", 1, "ours", 150_000));
    results.add(new Results.Check(ProcessPhases.MEMORY_DUMP, "postgres", false, "failed rows=12"));

    List<Target.Outcome> outcomes = Targets.evaluate(Targets.ALL, results);

    assertThat(outcomes)
        .extracting(o -> o.target().title(), Target.Outcome::met)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("delete expired, 1M rows", true),
            org.assertj.core.groups.Tuple.tuple("stream 1M sessions in a 256 MB heap", false));
  }

  @Test
  void everyMariaDbRequestTargetIsInTheTable() {
    assertThat(Targets.ALL)
        .filteredOn(t -> t.backends().contains(BenchDb.Backend.MARIADB))
        .extracting(Target::op, Target::limit)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("requestReadOnly", 5.0),
            org.assertj.core.groups.Tuple.tuple("requestChanging", 1.7));
  }

  @Test
  void onlyARatioHasAnAnchor() {
    assertThatThrownBy(
            () ->
                new Target(
                    "x",
                    "load",
                    Target.Check.GROWTH,
                    "raw",
                    2,
                    Set.of(BenchDb.Backend.SQLITE),
                    List.of(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only a ratio");
  }
}
