package app.getbodhi.session.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Targets are judged from the recorded figures, and only where both sides were measured. */
class TargetsTest {

  @Test
  void aRatioIsOursOverTheAnchorAndMetAtOrAboveItsLimit() {
    Results results =
        Figures.of(
            """
            requestReadOnly | mariadb | 1 | ours=5000 spring=1000
            requestReadOnly | mariadb | 8 | ours=4000 spring=1000
            """);
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
    // on PostgreSQL, a figure but not a target: no outcome
    Results results =
        Figures.of(
            """
            webfluxReadOnly | sqlite   | 1 | ours=600 memory=1000
            webfluxReadOnly | sqlite   | 8 | ours=400 memory=1000
            webfluxReadOnly | postgres | 1 | ours=100 memory=1000
            """);

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
    Results results = Figures.of("save | sqlite | 1 | ours=900 ours=1100");

    assertThat(results.score("save", "sqlite", 1, "ours")).contains(1_000.0);
  }

  @Test
  void aTargetWhoseFiguresWereNotMeasuredGivesNoOutcome() {
    Results results = Figures.of("save | sqlite | 1 | ours=1000");

    assertThat(Targets.evaluate(Targets.ALL, results)).isEmpty();
  }

  @Test
  void growthComparesLatencyAtTheLargestTableWithTheSmallest() {
    Results results =
        Figures.of(
            """
            load @10k | sqlite | 1 | ours=10000
            load @1M  | sqlite | 1 | ours=4000
            """);
    Target target = Target.growth("load", "load", 2, Set.of(BenchDb.Backend.SQLITE));

    Target.Outcome outcome = Targets.evaluate(List.of(target), results).get(0);

    assertThat(outcome.figure()).isEqualTo("2.5×");
    assertThat(outcome.ours()).isEqualTo("250.0 µs at 1M");
    assertThat(outcome.met()).isFalse();
  }

  @Test
  void aRateAndACheckAreJudgedOnOurFigureAlone() {
    Results results = new Results();
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
