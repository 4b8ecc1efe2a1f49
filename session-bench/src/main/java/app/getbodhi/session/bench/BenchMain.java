package app.getbodhi.session.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code make bench}: starts the servers, loads the data, runs the phases of {@link Phases#ALL}
 * that {@link BenchSettings} selects, and writes the report ({@code target/bench/results.md}) and
 * the charts. A complete run (every phase, every backend) also refreshes the figures and charts of
 * the benchmark page in the docs folder.
 */
public final class BenchMain {

  private BenchMain() {}

  /**
   * Runs the benchmarks.
   *
   * @param args none; the settings come from the environment ({@link BenchSettings})
   */
  public static void main(String[] args) throws Exception {
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    BenchSettings settings = BenchSettings.fromEnvironment();
    boolean succeeded;
    try (BenchServers servers = new BenchServers(System.err::println)) {
      succeeded = run(new BenchRun(settings, servers));
    }
    System.exit(succeeded ? 0 : 1);
  }

  /** Runs the selected phases and writes what they measured; false when a phase failed. */
  private static boolean run(BenchRun run) throws Exception {
    BenchSettings settings = run.settings;
    List<Phase> phases = Phases.ALL.stream().filter(settings::runs).toList();
    run.log(
        "profile "
            + settings.profile()
            + ", backends "
            + settings.backends()
            + ", phases "
            + phases.stream().map(Phase::name).toList());
    deleteRecursively(settings.work());
    Files.createDirectories(settings.work());
    Files.createDirectories(settings.out());
    System.setProperty(BenchDb.SQLITE_DIR, settings.work().toString());
    run.forkArg("-D" + BenchDb.SQLITE_DIR + "=" + settings.work());
    run.forkArg("-Dorg.slf4j.simpleLogger.defaultLogLevel=warn");
    run.forkArg("-Xms1g");
    run.forkArg("-Xmx1g");
    for (BenchDb.Backend backend : settings.backends()) {
      List<Phase> onBackend = phases.stream().filter(p -> p.backends().contains(backend)).toList();
      if (onBackend.isEmpty()) {
        continue;
      }
      Set<Phase.Fixture> fixtures = EnumSet.noneOf(Phase.Fixture.class);
      onBackend.forEach(p -> fixtures.addAll(p.fixtures()));
      run.servers.start(
          backend, fixtures.stream().flatMap(f -> f.databases.stream()).toList(), run);
      Preparation.prepare(run, backend, fixtures);
    }
    boolean failed = false;
    for (Phase phase : phases) {
      List<BenchDb.Backend> backends = phase.on(settings.backends());
      if (phase.databaseFree() || !backends.isEmpty()) {
        run.log("phase " + phase.name() + (backends.isEmpty() ? "" : " on " + backends));
        try {
          phase.body().run(run, backends);
        } catch (Exception e) {
          // the other phases' figures are still worth a report; the run fails at the end
          failed = true;
          run.log("phase " + phase.name() + " failed: " + e);
          e.printStackTrace();
          run.results.note("phase " + phase.name(), "failed: " + e);
        }
      }
    }
    write(run, !failed);
    return !failed;
  }

  /**
   * The report and the charts into {@code target/bench}; a complete run's, where every phase
   * succeeded, also into the docs.
   */
  private static void write(BenchRun run, boolean succeeded) throws IOException {
    BenchSettings settings = run.settings;
    Report report = new Report(settings, run.results);
    String text = report.render(run.elapsedSeconds());
    System.out.println(text);
    Path out = settings.out();
    Files.writeString(out.resolve("results.md"), text, StandardCharsets.UTF_8);
    String throughput = Charts.render(Charts.throughput(run.results));
    String scale = Charts.render(Charts.scale(run.results));
    Files.writeString(out.resolve(DocsPage.THROUGHPUT_SVG), throughput, StandardCharsets.UTF_8);
    Files.writeString(out.resolve(DocsPage.SCALE_SVG), scale, StandardCharsets.UTF_8);
    run.log("report and charts in " + out);
    if (settings.docs().isEmpty()) {
      return;
    }
    Path docs = settings.docs().get();
    if (!settings.complete() || !succeeded) {
      run.log("a partial run: the figures in " + docs.resolve(DocsPage.PAGE) + " are left alone");
      return;
    }
    if (!Files.isRegularFile(docs.resolve(DocsPage.PAGE))) {
      run.log("no " + docs.resolve(DocsPage.PAGE) + ": the documentation is not refreshed");
      return;
    }
    String figures =
        report.runLine(run.elapsedSeconds())
            + "\n\n"
            + Report.targetTable(Targets.evaluate(Targets.ALL, run.results));
    DocsPage.update(docs.resolve(DocsPage.PAGE), figures);
    Files.writeString(docs.resolve(DocsPage.THROUGHPUT_SVG), throughput, StandardCharsets.UTF_8);
    Files.writeString(docs.resolve(DocsPage.SCALE_SVG), scale, StandardCharsets.UTF_8);
    run.log("figures and charts refreshed in " + docs);
  }

  private static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
