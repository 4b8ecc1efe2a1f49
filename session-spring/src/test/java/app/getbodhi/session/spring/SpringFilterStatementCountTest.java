package app.getbodhi.session.spring;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.spring.CountingBrowser.Counted;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

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
    classes = {SmokeApp.class, SessionOverHttpContract.CountedStore.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "server.servlet.session.cookie.name=MYSESSION")
class SpringFilterStatementCountTest extends SessionOverHttpContract {

  @Test
  void a_saved_request_goes_through_the_codec_and_the_login_returns_to_it() throws Exception {
    Counted refused = browser.get("/peek");
    assertThat(refused.response().statusCode()).isEqualTo(302);
    assertThat(refused.response().headers().firstValue("Location"))
        .hasValueSatisfying(location -> assertThat(location).endsWith("/login"));
    // Spring Security keeps the refused request in the session, encoded by the codec
    assertThat(refused.verbs()).containsExactly("INSERT");

    Counted login = browser.logIn();
    assertThat(login.response().statusCode()).isEqualTo(302);
    assertThat(login.response().headers().firstValue("Location"))
        .hasValueSatisfying(location -> assertThat(location).contains("/peek"));

    Counted peek = browser.get("/peek");
    assertThat(peek.body()).isEqualTo("visits=null user=alice");
  }
}
