package app.getbodhi.session.postgres;

import app.getbodhi.session.tck.ProviderContract;
import java.util.List;

/**
 * The provider contract on PostgreSQL: libpq's and pgjdbc's URLs, and where a URL's sessions are.
 */
class PgSessionStoreProviderTest extends ProviderContract {

  PgSessionStoreProviderTest() {
    super(
        new PgSessionStoreProvider(),
        "postgres",
        "app.getbodhi:session-postgres",
        List.of("postgres://", "postgresql://", "jdbc:postgresql://"),
        List.of(
            "postgres://h/db",
            "postgresql://u:p@h/db",
            "jdbc:postgresql://h/db",
            "POSTGRES://H/DB",
            " postgres://h/db"),
        List.of("sqlite:/tmp/s.db", "jdbc:sqlite:x", "mysql://h/db", "postgres:/x", ""));
  }

  /**
   * Servers, database and schema count; users and other parameters do not. The loopback spellings
   * are one host, and an unset schema is {@code public}.
   */
  @Override
  protected List<List<String>> urlsByStore() {
    return List.of(
        List.of(
            "postgres://alice:pw@db.example:5432/app?currentSchema=s",
            "postgresql://bob:other@DB.EXAMPLE/app?currentSchema=s&sslmode=require",
            "jdbc:postgresql://db.example:5432/app?currentSchema=s&user=carol",
            "postgres://db.example:5432/app?currentSchema=S"),
        List.of("postgres://alice@db.example:5433/app?currentSchema=s"),
        List.of("postgres://alice@db.example:5432/app2?currentSchema=s"),
        List.of("postgres://alice@db.example:5432/app?currentSchema=t"),
        List.of(
            "postgres://alice@db.example:5432/app",
            "postgres://db.example/app?currentSchema=public"),
        List.of("postgres://alice@other.example:5432/app?currentSchema=s"),
        List.of(
            "postgres://u@localhost:5433/app",
            "jdbc:postgresql://127.0.0.1:5433/app?currentSchema=public"),
        List.of("postgres://u@localhost:5432/app"));
  }
}
