package app.getbodhi.session.spring;

import jakarta.servlet.http.HttpSession;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

@SpringBootApplication
class SmokeApp {

  @Bean
  SecurityFilterChain security(HttpSecurity http) throws Exception {
    http.authorizeHttpRequests(
            a -> a.requestMatchers("/public").permitAll().anyRequest().authenticated())
        .formLogin(f -> f.permitAll())
        .csrf(c -> c.disable());
    return http.build();
  }

  @Bean
  UserDetailsService users() {
    return new InMemoryUserDetailsManager(
        User.withUsername("alice").password("{noop}secret").roles("USER").build());
  }

  @RestController
  static class Pages {
    @GetMapping("/public")
    String visit(HttpSession session) {
      Long visits = (Long) session.getAttribute("visits");
      long next = visits == null ? 1 : visits + 1;
      session.setAttribute("visits", next);
      return "visits=" + next;
    }

    /** Reads the session and the security context, changes nothing. */
    @GetMapping("/peek")
    String peek(HttpSession session, java.security.Principal principal) {
      return "visits=" + session.getAttribute("visits") + " user=" + principal.getName();
    }

    @GetMapping("/me")
    String me(java.security.Principal principal) {
      return "user=" + principal.getName();
    }
  }
}
