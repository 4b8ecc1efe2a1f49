package app.getbodhi.session.bench;

import app.getbodhi.session.postgres.testing.PostgresFixture;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The phases that run another process: PostgreSQL's own {@code pgbench}, the server's ceiling for a
 * primary-key read, and the memory checks, each a JVM with a small heap ({@link MemoryCheck}).
 */
final class ProcessPhases {

  /** The implementation name pgbench's figure is recorded under. */
  static final String PGBENCH = "pgbench";

  /** The operation pgbench's select-only run compares with: a load by primary key. */
  static final String PGBENCH_OP = "loadExisting";

  /** pgbench's clients, and the threads of ours it is compared with. */
  static final int PGBENCH_CLIENTS = 8;

  /** How long a helper process may take. */
  private static final long PROCESS_TIMEOUT_MINUTES = 10;

  private ProcessPhases() {}

  static void pgbench(BenchRun run, List<BenchDb.Backend> backends) throws Exception {
    Optional<Path> pgbench = findPgbench();
    if (pgbench.isEmpty()) {
      run.results.note(
          PGBENCH, "pgbench not found (set PGBENCH or install postgresql-client): skipped");
      run.log("pgbench not found: skipped");
      return;
    }
    PostgresFixture pg = run.servers.postgres();
    String database = "bodhi_pgbench";
    try {
      pg.executeAdmin("DROP DATABASE IF EXISTS " + database);
      pg.executeAdmin("CREATE DATABASE " + database);
    } catch (IllegalStateException e) {
      run.log(
          "could not create a database for pgbench (" + e.getMessage() + "); using the server's");
      database = null;
    }
    int seconds = run.full() ? 30 : 10;
    List<String> common = pg.user() == null ? List.of() : List.of("-U", pg.user());
    String uri = libpqUri(pg, database);
    List<String> init = new ArrayList<>(List.of(pgbench.get().toString(), "-i", "-q", "-s", "1"));
    init.addAll(common);
    init.add(uri);
    String clients = String.valueOf(PGBENCH_CLIENTS);
    List<String> select =
        new ArrayList<>(
            List.of(pgbench.get().toString(), "-S", "-M", "prepared", "-c", clients, "-j", "2"));
    select.addAll(List.of("-n", "-T", String.valueOf(seconds)));
    select.addAll(common);
    select.add(uri);
    try {
      if (exec(run, pg, init).isEmpty()) {
        return;
      }
      run.log("pgbench -S -M prepared -c " + clients + " -j 2 -T " + seconds);
      Optional<String> output = exec(run, pg, select);
      if (output.isEmpty()) {
        return;
      }
      Matcher tps = Pattern.compile("tps = ([0-9.]+) \\(without initial").matcher(output.get());
      if (!tps.find()) {
        run.results.note(PGBENCH, "could not read pgbench's tps from: " + output.get().strip());
        return;
      }
      double figure = Double.parseDouble(tps.group(1));
      run.results.add(
          new Results.Row(
              PGBENCH_OP, BenchDb.Backend.POSTGRES.label(), PGBENCH_CLIENTS, PGBENCH, figure));
      run.results.note(
          PGBENCH,
          String.format(
              "pgbench -S -M prepared -c %s -j 2 -T %d (scale 1): %.0f tps",
              clients, seconds, figure));
    } finally {
      if (database == null) {
        List<String> drop = new ArrayList<>(List.of(pgbench.get().toString(), "-i", "-I", "d"));
        drop.addAll(common);
        drop.add(uri);
        exec(run, pg, drop);
      }
    }
  }

  /**
   * The server as libpq (pgbench) takes it, with no credentials: the backend's JDBC URL is {@code
   * host:port/database} as libpq's URI form writes it; {@code dbname} in the query picks another
   * database. The user goes as {@code -U}, the password in {@code PGPASSWORD}.
   */
  private static String libpqUri(PostgresFixture pg, String database) {
    String uri = pg.jdbcUrl().substring("jdbc:".length());
    return database == null ? uri : PostgresFixture.withParameter(uri, "dbname=" + database);
  }

  private static Optional<Path> findPgbench() {
    String configured = BenchSettings.setting("PGBENCH", "");
    if (!configured.isBlank()) {
      Path path = Path.of(configured);
      return Files.isExecutable(path) ? Optional.of(path) : Optional.empty();
    }
    List<Path> candidates = new ArrayList<>();
    for (String version : new String[] {"17", "16", "15", "14", "13"}) {
      candidates.add(Path.of("/usr/lib/postgresql/" + version + "/bin/pgbench"));
    }
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      candidates.add(Path.of(dir, "pgbench"));
    }
    return candidates.stream().filter(Files::isExecutable).findFirst();
  }

  /** Runs pgbench; its output, or empty (with a note) when it failed. */
  private static Optional<String> exec(BenchRun run, PostgresFixture pg, List<String> command)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("PGPASSWORD", pg.password() == null ? "" : pg.password());
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(PROCESS_TIMEOUT_MINUTES, TimeUnit.MINUTES) || process.exitValue() != 0) {
      run.log("pgbench failed:\n" + output);
      run.results.note(PGBENCH, "pgbench failed: " + output.strip());
      return Optional.empty();
    }
    return Optional.of(output);
  }

  /** The memory checks' names, as {@link Targets} and the report know them. */
  static final String MEMORY_DUMP = "memory: streamAllSessions (dump) over 1M, -Xmx256m";

  static final String MEMORY_COPY =
      "memory: loadSealedPage → saveAllSealed into a second store (copy) of 1M, -Xmx256m";

  static void memory(BenchRun run, List<BenchDb.Backend> backends) throws Exception {
    String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    for (BenchDb.Backend backend : backends) {
      List<List<String>> checks = new ArrayList<>();
      checks.add(List.of("dump", "s1000000"));
      if (backend == BenchDb.Backend.SQLITE || run.full()) {
        // quick: into an in-memory SQLite store (its pages are native memory, not Java heap), as
        // a file target writes at ~8k sessions/s and would take two minutes
        checks.add(List.of("copy", "s1000000", run.full() ? "copy" : ":memory:"));
      }
      for (List<String> check : checks) {
        List<String> command = new ArrayList<>(List.of(javaBin, "-Xmx256m"));
        command.addAll(run.forkProperties());
        command.addAll(
            List.of(
                "-cp",
                System.getProperty("java.class.path"),
                MemoryCheck.class.getName(),
                check.get(0),
                backend.label()));
        command.addAll(check.subList(1, check.size()));
        run.log("memory: " + check.get(0) + " " + backend.label() + " 1M sessions in -Xmx256m");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(PROCESS_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        Optional<String> result = output.lines().filter(l -> l.startsWith("RESULT ")).findFirst();
        run.results.add(
            new Results.Check(
                check.get(0).equals("dump") ? MEMORY_DUMP : MEMORY_COPY,
                backend.label(),
                result.map(r -> r.startsWith("RESULT ok ")).orElse(false),
                result
                    .map(r -> r.substring("RESULT ".length()))
                    .orElse("failed (exit " + process.exitValue() + "): " + output.strip())));
      }
    }
  }
}
