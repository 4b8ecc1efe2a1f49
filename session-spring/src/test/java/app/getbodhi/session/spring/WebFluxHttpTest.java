package app.getbodhi.session.spring;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.spring.testing.BlockHoundInstalled;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.SessionLimit;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.WebSession;

/**
 * Spring WebFlux on the store, over real HTTP on Netty with a random port: Boot's reactive
 * auto-configuration, Spring Session's {@code WebSessionManager}, Spring Security's form login, and
 * the store on a counted SQLite data source. BlockHound is installed, so any blocking call on an
 * event loop or a parallel thread fails the request it is made in (the {@code /block} page proves
 * it does).
 */
@SpringBootTest(
    classes = {WebFluxHttpTest.App.class, SessionOverHttpContract.CountedStore.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "spring.main.web-application-type=reactive",
      "server.reactive.session.cookie.name=MYSESSION"
    })
@ExtendWith(BlockHoundInstalled.class)
class WebFluxHttpTest extends SessionOverHttpContract {

  /** A WebFlux application with a session counter, per-key writes and a form login. */
  @SpringBootConfiguration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @Import(App.Pages.class)
  static class App {

    @Bean
    SecurityWebFilterChain security(
        ServerHttpSecurity http, @Value("${test.maximum-sessions:0}") int maximumSessions) {
      http.authorizeExchange(
              a ->
                  a.pathMatchers("/public", "/read", "/key/**", "/keys", "/block", "/login")
                      .permitAll()
                      .anyExchange()
                      .authenticated())
          .formLogin(Customizer.withDefaults())
          .csrf(ServerHttpSecurity.CsrfSpec::disable);
      if (maximumSessions > 0) {
        http.sessionManagement(
            s -> s.concurrentSessions(c -> c.maximumSessions(SessionLimit.of(maximumSessions))));
      }
      return http.build();
    }

    @Bean
    MapReactiveUserDetailsService users() {
      return new MapReactiveUserDetailsService(
          User.withUsername("alice").password("{noop}secret").roles("USER").build());
    }

    @RestController
    static class Pages {
      @GetMapping("/public")
      String visit(WebSession session) {
        Number visits = session.getAttribute("visits");
        long next = visits == null ? 1 : visits.longValue() + 1;
        session.getAttributes().put("visits", next);
        return "visits=" + next;
      }

      /** Reads the session, changes nothing. */
      @GetMapping("/read")
      String read(WebSession session) {
        return "visits=" + session.getAttribute("visits");
      }

      /** Reads the session and the security context, changes nothing. */
      @GetMapping("/peek")
      String peek(WebSession session, java.security.Principal principal) {
        return "visits=" + session.getAttribute("visits") + " user=" + principal.getName();
      }

      @PostMapping("/key/{key}")
      String put(WebSession session, @PathVariable("key") String key) {
        session.getAttributes().put(key, "set");
        return "ok";
      }

      @GetMapping("/keys")
      String keys(WebSession session) {
        return String.join(",", new TreeSet<>(session.getAttributes().keySet()));
      }

      /** Blocks the thread it runs on: a non-blocking one, which BlockHound must refuse. */
      @GetMapping("/block")
      String block() throws InterruptedException {
        Thread.sleep(1);
        return "blocked";
      }
    }
  }

  @Test
  void sixteen_clients_each_setting_their_own_key_on_one_session_lose_none() throws Exception {
    browser.get("/public");
    String cookie = CountingBrowser.COOKIE + "=" + browser.sessionCookie();
    HttpClient others = HttpClient.newHttpClient();

    List<CompletableFuture<HttpResponse<String>>> requests = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      requests.add(
          others.sendAsync(
              HttpRequest.newBuilder(browser.uri("/key/k" + i))
                  .header("Cookie", cookie)
                  .timeout(Duration.ofSeconds(30))
                  .POST(HttpRequest.BodyPublishers.noBody())
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> request : requests) {
      assertThat(request.get().body()).isEqualTo("ok");
    }

    String keys = browser.get("/keys").body();
    assertThat(keys.split(","))
        .contains("visits")
        .contains(IntStream.range(0, 16).mapToObj(i -> "k" + i).toArray(String[]::new));
    assertThat(sqlite.database.sessionRowCount()).isEqualTo(1);
  }

  @Test
  void blockhound_fails_a_request_that_blocks_an_event_loop() throws Exception {
    assertThat(browser.get("/block").response().statusCode()).isEqualTo(500);
  }
}
