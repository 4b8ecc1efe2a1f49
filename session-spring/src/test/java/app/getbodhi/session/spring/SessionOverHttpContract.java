package app.getbodhi.session.spring;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.service.DefaultSessionService;
import app.getbodhi.session.service.SessionStoreBackend;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.spring.CountingBrowser.Counted;
import app.getbodhi.session.sqlite.SqliteSessionStore;
import app.getbodhi.session.sqlite.testing.SqliteFixture;
import app.getbodhi.session.tck.CountingDataSource;
import app.getbodhi.session.web.SessionManagerLayer;
import com.zaxxer.hikari.HikariDataSource;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * What a browser sees of its session over real HTTP, servlet and WebFlux alike, and what each
 * request costs in statements on the counted SQLite store ({@link CountedStore}, which a subclass
 * puts in its context). A subclass starts the application on a random port: it counts visits on
 * {@code /public}, shows them with the user on {@code /peek}, logs {@code alice} in with a form on
 * {@code /login}, and names its session cookie {@link CountingBrowser#COOKIE}.
 */
abstract class SessionOverHttpContract {

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

  CountingBrowser browser;

  @BeforeEach
  void openBrowser() {
    sqlite.database.execute("DELETE FROM bodhi_sessions");
    browser = new CountingBrowser(port, sqlite.counted);
  }

  @Test
  void a_read_only_request_is_one_select_and_no_write_a_changing_one_adds_one_update()
      throws Exception {
    Counted created = browser.get("/public");
    assertThat(created.body()).isEqualTo("visits=1");
    assertThat(created.verbs()).as("a new session").containsExactly("INSERT");

    Counted login = browser.logIn();
    assertThat(login.response().statusCode()).isEqualTo(302);
    // load, then the atomic rotation against session fixation (SQLite's: delete the old row and
    // insert the new one, in one transaction); where the stack looks the session up again in the
    // same request (Spring's servlet filter, after the commit), that costs nothing
    assertThat(login.verbs()).as("the login").containsExactly("SELECT", "DELETE", "INSERT");

    for (int i = 0; i < 3; i++) {
      Counted readOnly = browser.get("/peek");
      assertThat(readOnly.body()).isEqualTo("visits=1 user=alice");
      assertThat(readOnly.verbs()).as("a read-only request").containsExactly("SELECT");
    }

    Counted changing = browser.get("/public");
    assertThat(changing.body()).isEqualTo("visits=2");
    assertThat(changing.verbs()).as("a changing request").containsExactly("SELECT", "UPDATE");

    Counted readAfterChange = browser.get("/peek");
    assertThat(readAfterChange.body()).isEqualTo("visits=2 user=alice");
    assertThat(readAfterChange.verbs()).as("a read after the change").containsExactly("SELECT");
  }

  @Test
  void boots_cookie_name_is_the_one_written_and_read_back() throws Exception {
    Counted created = browser.get("/public");

    assertThat(created.response().headers().allValues("Set-Cookie"))
        .singleElement()
        .satisfies(
            header ->
                assertThat(header)
                    .startsWith(CountingBrowser.COOKIE + "=")
                    .containsIgnoringCase("HttpOnly"));
    assertThat(browser.cookieNames()).containsExactly(CountingBrowser.COOKIE);
    // the session is read back from that cookie: same session, no new one
    Counted again = browser.get("/public");
    assertThat(again.body()).isEqualTo("visits=2");
    assertThat(again.response().headers().allValues("Set-Cookie")).isEmpty();
    assertThat(sqlite.database.sessionRowCount()).isEqualTo(1);
  }

  @Test
  void logging_in_rotates_the_session_id_and_indexes_the_user() throws Exception {
    browser.get("/public");
    String before = browser.sessionCookie();

    browser.logIn();

    assertThat(browser.sessionCookie()).isNotEqualTo(before);
    assertThat(sqlite.database.sessionRowCount()).isEqualTo(1);
    assertThat(sqlite.database.queryStrings("SELECT user_id FROM bodhi_sessions"))
        .containsExactly("alice");
    // the old id opens nothing (the fixation defence holds): a request with it starts afresh
    HttpResponse<String> withOldId =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(browser.uri("/public"))
                    .header("Cookie", CountingBrowser.COOKIE + "=" + before)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(withOldId.body()).isEqualTo("visits=1");
  }
}
