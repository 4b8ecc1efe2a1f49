package app.getbodhi.session.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.jooq.ServerInspector;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.postgres.testing.PostgresSchema;
import app.getbodhi.session.spi.StoreInspection;
import app.getbodhi.session.spi.StoreInspection.Database;
import app.getbodhi.session.tck.InspectionContract;
import java.io.IOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;

/**
 * The inspection contract on PostgreSQL, against a fresh schema of the kit's test server, and what
 * only PostgreSQL has: a search path, and several hosts in one URL.
 */
class PgInspectionTest extends InspectionContract<PostgresSchema> {

  PgInspectionTest() {
    super(
        new PgSessionStoreProvider(),
        "PostgreSQL",
        ServerInspector.CONNECT_TIMEOUT,
        () -> PostgresFixture.shared(PgSessionStore::dataSource).freshSchema());
  }

  /** A role of its own on the test's schema, dropped with it. */
  @Override
  protected String urlWithPassword(String password) {
    return database.urlForNewRole("inspect_" + database.name(), password);
  }

  @Override
  protected String urlOfAMissingDatabase(String url) {
    return PostgresFixture.withParameter(url, "dbname=nodb");
  }

  /** The URL's host, and whether the server is a primary or a standby. */
  @Override
  protected String expectedServer(String url) {
    return host(url) + " (primary)";
  }

  /** The {@code host:port} of a one-host URL with a user. */
  private static String host(String url) {
    int hostStart = url.indexOf('@') + 1;
    return url.substring(hostStart, url.indexOf('/', hostStart));
  }

  @Test
  void aSchemaThatDoesNotExistIsAProblem() {
    String url =
        PostgresFixture.withParameter(database.server().serverUrl(), "currentSchema=nowhere");

    StoreInspection inspection = provider.inspect(url);

    assertThat(inspection.problems())
        .singleElement()
        .asString()
        .contains("No schema of the connection's search path exists");
  }

  @Test
  void namesTheHostOfAMultiHostUrlThatAnsweredAndHidesThePassword() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    String url = urlWithPassword(PASSWORD);
    int hostStart = url.indexOf('@') + 1;
    // the first host refuses connections, so the driver settles on the second
    String multiHost =
        url.substring(0, hostStart)
            + "127.0.0.1:"
            + closedPort
            + ","
            + url.substring(hostStart)
            + "&target_session_attrs=read-write";

    StoreInspection inspection = provider.inspect(multiHost);

    assertThat(inspection.database()).isEqualTo(Database.FOUND);
    assertThat(inspection.server()).contains(expectedServer(url));
    assertThat(inspection.url())
        .contains("127.0.0.1:" + closedPort + "," + host(url))
        .doesNotContain(PASSWORD);
  }
}
