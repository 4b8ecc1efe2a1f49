package app.getbodhi.session.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Which phases a run selects, and when its figures may replace the documented ones. */
class BenchSettingsTest {

  private static BenchSettings settings(List<BenchDb.Backend> backends, String... phases) {
    return new BenchSettings(
        false, backends, List.of(phases), Path.of("w"), Path.of("o"), Optional.empty());
  }

  private static Phase phase(String name) {
    return Phases.ALL.stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  @Test
  void pointBringsSealingAndSpringWhichAlsoRunAlone() {
    BenchSettings point = settings(List.of(BenchDb.Backend.SQLITE), "point");
    BenchSettings spring = settings(List.of(BenchDb.Backend.SQLITE), "spring");

    assertThat(Phases.ALL.stream().filter(point::runs).map(Phase::name))
        .containsExactly("point", "sealing", "breakdown", "spring");
    assertThat(Phases.ALL.stream().filter(spring::runs).map(Phase::name)).containsExactly("spring");
  }

  @Test
  void webfluxRunsAloneAndByDefaultOnSqliteAndPostgres() {
    List<BenchDb.Backend> all = List.of(BenchDb.Backend.values());
    BenchSettings webflux = settings(all, "webflux");
    BenchSettings byDefault = settings(all, BenchSettings.DEFAULT_PHASES.split(","));

    assertThat(Phases.ALL.stream().filter(webflux::runs).map(Phase::name))
        .containsExactly("webflux");
    assertThat(byDefault.runs(phase("webflux"))).isTrue();
    assertThat(settings(all, "point").runs(phase("webflux"))).isFalse();
    assertThat(phase("webflux").on(all))
        .containsExactly(BenchDb.Backend.SQLITE, BenchDb.Backend.POSTGRES);
  }

  @Test
  void theMillionRowPhasesRunOnSqliteAndPostgresOnly() {
    List<BenchDb.Backend> all = List.of(BenchDb.Backend.values());

    assertThat(phase("point").on(all)).isEqualTo(all);
    assertThat(phase("scale").on(all))
        .containsExactly(BenchDb.Backend.SQLITE, BenchDb.Backend.POSTGRES);
    assertThat(phase("sealing").databaseFree()).isTrue();
  }

  @Test
  void onlyARunOfEveryPhaseOnEveryBackendIsComplete() {
    List<BenchDb.Backend> all = List.of(BenchDb.Backend.values());
    String[] every = BenchSettings.DEFAULT_PHASES.split(",");

    assertThat(settings(all, every).complete()).isTrue();
    assertThat(settings(all, "point").complete()).isFalse();
    assertThat(settings(List.of(BenchDb.Backend.SQLITE), every).complete()).isFalse();
  }

  @Test
  void anUnknownBackendIsNamedWithTheSetting() {
    assertThatThrownBy(() -> BenchDb.Backend.parse("oracle"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("BENCH_BACKENDS")
        .hasMessageContaining("sqlite, postgres, mariadb");
  }
}
