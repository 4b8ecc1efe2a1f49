package app.getbodhi.session.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SessionServiceException.Kind;
import app.getbodhi.session.postgres.PgSessionStore;
import app.getbodhi.session.postgres.testing.PostgresFixture;
import app.getbodhi.session.postgres.testing.PostgresSchema;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.spi.DatabaseUrls;
import app.getbodhi.session.spi.SessionStoreConfig;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.postgresql.ssl.NonValidatingFactory;

/**
 * pgjdbc takes class names from connection properties ({@code socketFactory}, {@code sslfactory},
 * {@code sslhostnameverifier}, {@code sslpasswordcallback}, {@code authenticationPluginClassName})
 * and instantiates them; {@code sslfactory=org.postgresql.ssl.NonValidatingFactory} alone turns off
 * certificate checks, and {@code xmlFactoryFactory=LEGACY_INSECURE} turns XML entity expansion back
 * on. Since pgjdbc 42.3.2 the class must implement the expected interface (CVE-2022-21724), so this
 * is no longer arbitrary code execution; it is still more power than a session URL, which operators
 * paste into environment variables, should carry. A session URL should not be able to choose
 * classes for the driver: such parameters must be refused as a configuration error before anything
 * connects.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class UnsafeDriverParameterTest {

  /**
   * Counts its instances: proof of whether the driver instantiated a class a URL named. It is never
   * meant to open a socket, so it borrows a concrete factory's socket code instead of having its
   * own.
   */
  public static final class RecordingSocketFactory extends NonValidatingFactory {
    static final AtomicInteger INSTANCES = new AtomicInteger();

    public RecordingSocketFactory() throws GeneralSecurityException {
      super(null);
      INSTANCES.incrementAndGet();
    }
  }

  /** The shortest timeout there is: a refused port costs this much per URL. */
  private static final SessionStoreConfig QUICKEST =
      SessionStoreConfig.defaults()
          .withConnectionTimeout(SessionStoreConfig.MIN_CONNECTION_TIMEOUT);

  private static Optional<SessionServiceException> connect(String url) {
    try {
      SessionStoreBackend.connect(url, QUICKEST).close();
      return Optional.empty();
    } catch (SessionServiceException e) {
      return Optional.of(e);
    }
  }

  /** Parameters that name a class for the driver to load, or drop a safeguard. */
  static final List<String> UNSAFE_PARAMETERS =
      List.of(
          "socketFactory=org.postgresql.ssl.NonValidatingFactory",
          "socketFactoryArg=x",
          "sslfactory=org.postgresql.ssl.NonValidatingFactory",
          "sslfactoryarg=x",
          "sslhostnameverifier=org.postgresql.ssl.PGjdbcHostnameVerifier",
          "sslpasswordcallback=org.postgresql.ssl.LibPQFactory%24ConsoleCallbackHandler",
          "authenticationPluginClassName=com.example.Plugin",
          "xmlFactoryFactory=LEGACY_INSECURE");

  @Test
  void every_parameter_that_makes_the_driver_load_a_class_or_drop_a_safeguard_is_refused() {
    SoftAssertions softly = new SoftAssertions();
    // against the real server, so a parameter that is let through opens a store at once
    try (PostgresSchema schema = PostgresFixture.shared(PgSessionStore::dataSource).freshSchema()) {
      List<String> urls = new ArrayList<>();
      for (String parameter : UNSAFE_PARAMETERS) {
        urls.add(PostgresFixture.withParameter(schema.url(), parameter));
      }
      // pgjdbc's own URL form passes parameters through as well
      PostgresFixture server = schema.server();
      String credentials =
          server.user() == null
              ? ""
              : "user="
                  + PostgresFixture.percentEncode(server.user())
                  + "&password="
                  + PostgresFixture.percentEncode(server.password())
                  + "&";
      urls.add(
          PostgresFixture.withParameter(schema.jdbcUrl(), credentials + UNSAFE_PARAMETERS.get(2)));
      for (String url : urls) {
        Optional<SessionServiceException> refused = connect(url);
        softly
            .assertThat(refused.map(SessionServiceException::kind))
            .as(
                "%s must be refused as a configuration error before connecting; got %s",
                DatabaseUrls.redact(url),
                refused.map(e -> e.kind() + ": " + e.getMessage()).orElse("a working store"))
            .contains(Kind.CONFIGURATION);
      }
    }
    softly.assertAll();
  }

  @Test
  void a_url_cannot_make_the_driver_instantiate_a_class_from_the_classpath() {
    String url =
        PostgresFixture.withParameter(
            PostgresFixture.shared(PgSessionStore::dataSource).serverUrl(),
            "socketFactory=" + RecordingSocketFactory.class.getName());
    int before = RecordingSocketFactory.INSTANCES.get();

    Optional<SessionServiceException> refused = connect(url);

    assertThat(RecordingSocketFactory.INSTANCES.get() - before)
        .as(
            "instances the driver made of the class the URL named (connect %s)",
            refused.map(e -> "failed: " + e.getMessage()).orElse("succeeded"))
        .isZero();
    assertThat(refused.map(SessionServiceException::kind)).contains(Kind.CONFIGURATION);
  }
}
