package app.getbodhi.session.webflux.example;

import app.getbodhi.session.example.DemoUsers;
import app.getbodhi.session.example.ExampleHtml;
import java.net.URI;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.userdetails.MapReactiveUserDetailsService;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.authentication.RedirectServerAuthenticationSuccessHandler;
import org.springframework.security.web.server.authentication.SessionLimit;
import org.springframework.security.web.server.authentication.logout.RedirectServerLogoutSuccessHandler;

/**
 * Spring Security for WebFlux as most applications set it up: form login, logout by {@code POST
 * /logout}, CSRF protection on (the default), every page but the login page and the health endpoint
 * behind login. Nothing here is about where sessions are kept: that is {@code session-spring}'s
 * auto-configuration. With {@code example.maximum-sessions}, Spring Security's {@code
 * maximumSessions(n)} uses the auto-configured reactive session registry, which lists and expires
 * sessions in the store, so the limit holds across every node that shares it.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  @Bean
  SecurityWebFilterChain securityWebFilterChain(
      ServerHttpSecurity http, ExampleProperties properties) {
    RedirectServerLogoutSuccessHandler loggedOut = new RedirectServerLogoutSuccessHandler();
    loggedOut.setLogoutSuccessUrl(URI.create("/login?logout"));
    http.authorizeExchange(
            exchanges ->
                exchanges
                    .pathMatchers("/login", "/actuator/health")
                    .permitAll()
                    .anyExchange()
                    .authenticated())
        .formLogin(
            form ->
                form.loginPage("/login")
                    // to the home page, not back to the page that asked for login; replacing
                    // only the redirect keeps the handlers the session limit adds to the list
                    // (the single-handler overload would drop them)
                    .authenticationSuccessHandler(
                        handlers ->
                            handlers.replaceAll(
                                handler ->
                                    handler instanceof RedirectServerAuthenticationSuccessHandler
                                        ? new RedirectServerAuthenticationSuccessHandler("/")
                                        : handler)))
        .logout(logout -> logout.logoutSuccessHandler(loggedOut))
        .headers(
            headers ->
                headers.contentSecurityPolicy(
                    csp -> csp.policyDirectives(ExampleHtml.CONTENT_SECURITY_POLICY)));
    if (properties.maximumSessions() != DemoUsers.NO_SESSION_LIMIT) {
      // the registry lists the user's sessions from the store and expires the least recently
      // active by deleting it: that browser is logged out on its next request, on any node
      http.sessionManagement(
          sessions ->
              sessions.concurrentSessions(
                  concurrency ->
                      concurrency.maximumSessions(SessionLimit.of(properties.maximumSessions()))));
    }
    return http.build();
  }

  /** The demo users, with the password {@code example.password}. */
  @Bean
  MapReactiveUserDetailsService users(ExampleProperties properties) {
    return new MapReactiveUserDetailsService(DemoUsers.withPassword(properties.password()));
  }
}
