package app.getbodhi.session.spring.example;

import app.getbodhi.session.example.DemoUsers;
import app.getbodhi.session.example.ExampleHtml;
import app.getbodhi.session.spring.BodhiSessionRepository;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.session.SessionRegistry;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.session.security.SpringSessionBackedSessionRegistry;

/**
 * Spring Security as most applications set it up: form login, logout by {@code POST /logout}, CSRF
 * protection on (the default), every page but the login page and the health endpoint behind login.
 * Nothing here is about where sessions are kept: that is {@code session-spring}'s auto-
 * configuration. The one session setting, {@code example.maximum-sessions}, hands Spring Security a
 * {@link SessionRegistry} that lists and expires sessions in the store, so the limit holds across
 * every node that shares it: the auto-configured one, or with {@code
 * example.session-registry=spring} Spring Session's own {@code SpringSessionBackedSessionRegistry}.
 */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {

  @Bean
  SecurityFilterChain securityFilterChain(
      HttpSecurity http,
      ExampleProperties properties,
      SessionRegistry bodhiRegistry,
      BodhiSessionRepository repository)
      throws Exception {
    http.authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers("/login", "/actuator/health", "/error")
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/", true))
        .logout(logout -> logout.logoutSuccessUrl("/login?logout"))
        .headers(
            headers ->
                headers.contentSecurityPolicy(
                    csp -> csp.policyDirectives(ExampleHtml.CONTENT_SECURITY_POLICY)));
    if (properties.maximumSessions() != DemoUsers.NO_SESSION_LIMIT) {
      // Spring Session's own registry works over the repository as it does over Spring Session
      // JDBC: the listing's keys (refs) are ones the repository's findById accepts
      SessionRegistry sessionRegistry =
          properties.sessionRegistry().equals(ExampleProperties.SPRING_REGISTRY)
              ? new SpringSessionBackedSessionRegistry<>(repository)
              : bodhiRegistry;
      // the registry lists the user's sessions from the store and expires the least recently
      // active by deleting it: that browser is logged out on its next request, on any node
      http.sessionManagement(
          sessions ->
              sessions.sessionConcurrency(
                  concurrency ->
                      concurrency
                          .maximumSessions(properties.maximumSessions())
                          .sessionRegistry(sessionRegistry)));
    }
    return http.build();
  }

  /** The demo users, with the password {@code example.password}. */
  @Bean
  UserDetailsService users(ExampleProperties properties) {
    return new InMemoryUserDetailsManager(DemoUsers.withPassword(properties.password()));
  }
}
