package app.getbodhi.session.tests.servlet;

import static app.getbodhi.session.tests.servlet.FilterAssertions.assertNoCookie;
import static app.getbodhi.session.tests.servlet.FilterAssertions.ok;
import static app.getbodhi.session.tests.servlet.FilterHarness.script;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.ManagedSessionStore;
import app.getbodhi.session.SessionId;
import app.getbodhi.session.SessionRecord;
import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.spi.SessionStoreConfig;
import app.getbodhi.session.web.SessionManagerLayer;
import java.lang.reflect.Proxy;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/**
 * The "store failures" group of {@link SessionFilterContract}, run per backend as its {@code
 * StoreFailures} class: when the store cannot load, insert or update, or refuses a session too
 * large for it, the request fails with 500, no cookie names a session, and what was stored stays as
 * it was.
 */
abstract class StoreFailureGroup {

  private final FilterHarness http;

  StoreFailureGroup(FilterHarness http) {
    this.http = Objects.requireNonNull(http, "http");
  }

  /**
   * Returns a data source whose every connection attempt fails, as a database that is down.
   *
   * @return the data source
   */
  private static DataSource unreachableDataSource() {
    return (DataSource)
        Proxy.newProxyInstance(
            StoreFailureGroup.class.getClassLoader(),
            new Class<?>[] {DataSource.class},
            (proxy, method, args) ->
                switch (method.getName()) {
                  case "toString" -> "unreachable DataSource";
                  case "hashCode" -> System.identityHashCode(proxy);
                  case "equals" -> proxy == args[0];
                  case "isWrapperFor" -> false;
                  case "getLoginTimeout" -> 0;
                  default -> throw new SQLException("the test's database is unreachable");
                });
  }

  /** A layer over a store whose database cannot be reached: every statement fails. */
  private SessionManagerLayer unreachableLayer() {
    ManagedSessionStore broken = http.newStore(unreachableDataSource());
    SessionId probe = SessionId.generate();
    assertThatThrownBy(() -> broken.load(probe)).isInstanceOf(SessionServiceException.class);
    return SessionManagerLayer.builder(broken).clock(http.clock()).build();
  }

  @Test
  void when_the_store_cannot_load_a_read_fails_with_500() {
    String id = http.newSession("set:k:v");
    SessionRecord before = http.stored(id).orElseThrow();
    http.serve(unreachableLayer());

    Exchange read = http.as(id, "get:k");

    assertThat(read.status()).isEqualTo(500);
    assertNoCookie(read);
    assertThat(read.body()).doesNotContain("k=v");
    assertThat(http.stored(id)).contains(before);
  }

  @Test
  void when_the_store_cannot_load_no_new_session_is_made_in_its_place() {
    String id = http.newSession("set:k:v");
    SessionRecord before = http.stored(id).orElseThrow();
    http.serve(unreachableLayer());

    Exchange write = http.as(id, "set:k:w", "peek");

    assertThat(write.status()).isEqualTo(500);
    assertNoCookie(write);
    assertThat(http.stored(id)).contains(before);
    assertThat(http.database().sessionRowCount()).isEqualTo(1);
  }

  @Test
  void when_the_store_cannot_insert_a_new_session_the_request_fails_with_500() {
    http.serve(unreachableLayer());

    Exchange created = http.request(script("set:k:v"));

    assertThat(created.status()).isEqualTo(500);
    assertNoCookie(created);
    assertThat(http.database().sessionRowCount()).isZero();
  }

  @Test
  void when_the_store_cannot_update_the_request_fails_with_500_and_the_session_is_unchanged() {
    // the kit's refusal is keyed on the user: this session's updates are refused
    String id = http.newSession("set:user_id:alice", "set:k:v");
    SessionRecord before = http.stored(id).orElseThrow();
    http.closeAfterTest(http.database().refuseWritesOfUser("alice"));

    Exchange changed = http.as(id, "set:k:w");

    assertThat(changed.status()).isEqualTo(500);
    assertThat(changed.verbs()).containsExactly("SELECT", "UPDATE");
    assertNoCookie(changed);
    assertThat(http.stored(id)).contains(before);
    // reads keep working
    assertThat(ok(http.as(id, "get:k")).line("k")).isEqualTo("v");
  }

  @Test
  void a_session_too_large_for_the_store_fails_with_500_and_is_not_stored() {
    String id = http.newSession("set:k:v");
    SessionRecord before = http.stored(id).orElseThrow();
    int tooLarge = SessionStoreConfig.DEFAULT_MAX_DATA_BYTES + 1;

    Exchange grown = http.as(id, "fill:blob:" + tooLarge);
    Exchange created = http.request(script("fill:blob:" + tooLarge));

    assertThat(grown.status()).isEqualTo(500);
    assertNoCookie(grown);
    assertThat(http.stored(id)).contains(before);
    assertThat(created.status()).isEqualTo(500);
    assertNoCookie(created);
    assertThat(http.database().sessionRowCount()).isEqualTo(1);
  }
}
