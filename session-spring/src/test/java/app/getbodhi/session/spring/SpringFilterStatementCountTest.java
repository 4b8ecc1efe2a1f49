package app.getbodhi.session.spring;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import app.getbodhi.session.tck.CountingDataSource;
import app.getbodhi.session.web.SessionManagerLayer;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * What a request costs in statements through Spring Session's own {@code SessionRepositoryFilter},
 * Spring Security's filter chain and Spring MVC, over real HTTP on a random port: the store runs on
 * a counted data source, and each request's statements are compared.
 *
 * <p>The headline: a request that only reads its session (the security context and an attribute) is
 * one {@code SELECT} and no write, where Spring Session JDBC writes the last-access time on every
 * request. Spring's filter looks the session up a second time after committing it; the request
 * scope the auto-configuration registers in front of it answers that lookup without a statement.
 * One context for the whole class; it also sets {@code server.servlet.session.cookie.name}, to
 * check that Boot's cookie settings reach Spring's cookie serializer.
 */
@SpringBootTest(
    classes = {SmokeApp.class, SpringFilterStatementCountTest.CountedStore.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "server.servlet.session.cookie.name=MYSESSION")
class SpringFilterStatementCountTest {

  /**
   * The session service on a SQLite file, built by hand to put a counted data source under the
   * store; the auto-configured one backs off, since a {@link DefaultSessionService} bean exists.
   */
  @TestConfiguration(proxyBeanMethods = false)
  static class CountedStore {

    /** The database, its pool and the counting wrapper, closed with the context. */
    static final class CountedSqlite implements AutoCloseable {
      final SqliteFixture database = SqliteFixture.tempFile();
      final HikariDataSource pool =
          SqliteSessionStore.dataSource(database.url(), SessionStoreConfig.defaults());
      final CountingDataSource counted = new CountingDataSource(pool);

      @Override
      public void close() {
        pool.close();
        database.close();
      }
    }

    @Bean(destroyMethod = "close")
    CountedSqlite countedSqlite() {
      return new CountedSqlite();
    }

    @Bean(destroyMethod = "close")
    DefaultSessionService countedSessionService(CountedSqlite sqlite) {
      SqliteSessionStore store = new SqliteSessionStore(sqlite.counted);
      store.migrate();
      SessionStoreBackend backend = SessionStoreBackend.of(store);
      // no background cleaner: its statements would land in a request's count
      return new DefaultSessionService(
          backend,
          SessionManagerLayer.builder(backend).expiry(Duration.ofMinutes(30)).build(),
          Optional.empty());
    }
  }

  @LocalServerPort int port;
  @Autowired CountedStore.CountedSqlite sqlite;

  private final CookieManager cookies = new CookieManager();
  private final HttpClient client =
      HttpClient.newBuilder()
          .cookieHandler(cookies)
          .followRedirects(HttpClient.Redirect.NEVER)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  @BeforeEach
  void emptyTheStore() {
    sqlite.database.execute("DELETE FROM bodhi_sessions");
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }

  /** Sends a request and returns it with the statements it cost. */
  private Counted send(HttpRequest.Builder request) throws IOException, InterruptedException {
    sqlite.counted.reset();
    HttpResponse<String> response =
        client.send(
            request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    return new Counted(response, sqlite.counted.verbs());
  }

  private Counted get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)));
  }

  private Counted logIn() throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(uri("/login"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString("username=alice&password=secret")));
  }

  record Counted(HttpResponse<String> response, List<String> verbs) {
    String body() {
      return response.body();
    }
  }

  @Test
  void a_read_only_request_is_one_select_and_no_write_a_changing_one_adds_one_update()
      throws Exception {
    Counted created = get("/public");
    assertThat(created.body()).isEqualTo("visits=1");
    assertThat(created.verbs()).as("a new session").containsExactly("INSERT");

    Counted login = logIn();
    assertThat(login.response().statusCode()).isEqualTo(302);
    // load, then the atomic rotation against session fixation (SQLite's: delete the old row and
    // insert the new one, in one transaction); Spring's filter asking again for the old id after
    // the commit is answered by the request scope
    assertThat(login.verbs()).as("the login").containsExactly("SELECT", "DELETE", "INSERT");

    for (int i = 0; i < 3; i++) {
      Counted readOnly = get("/peek");
      assertThat(readOnly.body()).isEqualTo("visits=1 user=alice");
      assertThat(readOnly.verbs()).as("a read-only request").containsExactly("SELECT");
    }

    Counted changing = get("/public");
    assertThat(changing.body()).isEqualTo("visits=2");
    assertThat(changing.verbs()).as("a changing request").containsExactly("SELECT", "UPDATE");

    Counted readAfterChange = get("/peek");
    assertThat(readAfterChange.body()).isEqualTo("visits=2 user=alice");
    assertThat(readAfterChange.verbs()).containsExactly("SELECT");
  }

  @Test
  void boots_cookie_name_reaches_springs_cookie_serializer_and_is_the_one_read_back()
      throws Exception {
    Counted created = get("/public");

    assertThat(created.response().headers().allValues("Set-Cookie"))
        .singleElement()
        .satisfies(header -> assertThat(header).startsWith("MYSESSION=").contains("HttpOnly"));
    assertThat(cookies.getCookieStore().getCookies())
        .extracting(HttpCookie::getName)
        .containsExactly("MYSESSION");
    // the filter reads the session back from that cookie: same session, no new one
    Counted again = get("/public");
    assertThat(again.body()).isEqualTo("visits=2");
    assertThat(again.response().headers().allValues("Set-Cookie")).isEmpty();
    assertThat(sqlite.database.sessionRowCount()).isEqualTo(1);
  }

  @Test
  void a_saved_request_goes_through_the_codec_and_the_login_returns_to_it() throws Exception {
    Counted refused = get("/peek");
    assertThat(refused.response().statusCode()).isEqualTo(302);
    assertThat(refused.response().headers().firstValue("Location"))
        .hasValueSatisfying(location -> assertThat(location).endsWith("/login"));
    // Spring Security keeps the refused request in the session, encoded by the codec
    assertThat(refused.verbs()).containsExactly("INSERT");

    Counted login = logIn();
    assertThat(login.response().statusCode()).isEqualTo(302);
    assertThat(login.response().headers().firstValue("Location"))
        .hasValueSatisfying(location -> assertThat(location).contains("/peek"));

    Counted peek = get("/peek");
    assertThat(peek.body()).isEqualTo("visits=null user=alice");
  }

  @Test
  void logging_in_rotates_the_session_id_and_indexes_the_user() throws Exception {
    get("/public");
    String before = sessionCookie();

    logIn();

    assertThat(sessionCookie()).isNotEqualTo(before);
    assertThat(sqlite.database.sessionRowCount()).isEqualTo(1);
    assertThat(sqlite.database.queryStrings("SELECT user_id FROM bodhi_sessions"))
        .containsExactly("alice");
  }

  private String sessionCookie() {
    return cookies.getCookieStore().getCookies().stream()
        .filter(c -> c.getName().equals("MYSESSION"))
        .map(HttpCookie::getValue)
        .findFirst()
        .orElseThrow();
  }
}
