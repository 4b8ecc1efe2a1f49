package app.getbodhi.session.mariadb.testing;

import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Fresh MariaDB databases for tests, on the JVM's {@link MariaDbServer}.
 *
 * <pre>{@code
 * try (MariaDbDatabase database = MariaDbFixture.freshDatabase()) {
 *   String url = database.url(); // mariadb://root@127.0.0.1:PORT/t_1a2b3c4d5e6f
 *   ...
 * }
 * }</pre>
 */
public final class MariaDbFixture {

  private static final SecureRandom RANDOM = new SecureRandom();

  private MariaDbFixture() {}

  /**
   * Creates a new empty database, {@code t_} followed by random hex digits, on the shared server
   * (started on first use); closing it drops the database with everything in it.
   *
   * @return the database
   * @throws IllegalStateException when no server can be had
   */
  public static MariaDbDatabase freshDatabase() {
    MariaDbServer server = MariaDbServer.shared();
    byte[] random = new byte[6];
    RANDOM.nextBytes(random);
    String name = "t_" + HexFormat.of().formatHex(random);
    // the database's default collation is the server's, deliberately: the schema must not use it
    server.executeAdmin("CREATE DATABASE " + name);
    return new MariaDbDatabase(server, name);
  }
}
