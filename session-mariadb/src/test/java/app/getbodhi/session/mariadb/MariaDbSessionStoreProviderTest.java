package app.getbodhi.session.mariadb;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.mariadb.testing.MariaDbDatabase;
import app.getbodhi.session.mariadb.testing.MariaDbFixture;
import app.getbodhi.session.tck.ProviderContract;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The provider contract on MariaDB, and what the store it opens shows of itself. */
class MariaDbSessionStoreProviderTest extends ProviderContract {

  MariaDbSessionStoreProviderTest() {
    super(
        new MariaDbSessionStoreProvider(),
        "mariadb",
        "app.getbodhi:session-mariadb",
        List.of("mariadb://", "jdbc:mariadb://"),
        List.of("mariadb://h/db", "jdbc:mariadb://u:p@h/db", "MARIADB://H/DB", " mariadb://h/db"),
        List.of("mysql://h/db", "jdbc:mysql://h/db", "postgres://h/db", "mariadb:/x", ""));
  }

  /**
   * The server and the database count; users and parameters do not. The loopback spellings are one
   * host.
   */
  @Override
  protected List<List<String>> urlsByStore() {
    return List.of(
        List.of(
            "mariadb://alice:pw@db.example:3306/app",
            "jdbc:mariadb://DB.EXAMPLE/app?user=bob&password=other",
            "mariadb://db.example/app?sslMode=verify-full",
            "mariadb://carol@db.example:3306/app?connectTimeout=500"),
        List.of("mariadb://alice@db.example:3307/app"),
        List.of("mariadb://alice@db.example:3306/App"),
        List.of("mariadb://alice@db.example:3306/app2"),
        List.of("mariadb://alice@other.example:3306/app"),
        List.of(
            "mariadb://u@localhost/app",
            "jdbc:mariadb://127.0.0.1:3306/app",
            "mariadb://[::1]/app"),
        List.of("mariadb://u@localhost:3307/app"));
  }

  @Test
  void the_store_names_its_pool_and_url_but_not_the_password() {
    try (MariaDbDatabase database = MariaDbFixture.freshDatabase();
        MariaDbSessionStore store = MariaDbSessionStore.connect(database.url())) {
      assertThat(store.backendName()).isEqualTo("mariadb");
      assertThat(store.toString())
          .startsWith("MariaDbSessionStore[bodhi-sessions-mariadb on ")
          .contains(database.name());
      assertThat(store.migrate().sealedRows()).isZero();
    }
  }
}
