package app.getbodhi.session.webflux.example;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.springframework.security.web.server.csrf.CsrfToken;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.HtmlUtils;
import reactor.core.publisher.Mono;

/** The example's pages: plain HTML, no script, every value escaped. */
final class Html {

  /** The content type of every page. */
  static final String TYPE = "text/html;charset=UTF-8";

  private Html() {}

  /**
   * Escapes text for an element's content or a quoted attribute.
   *
   * @param text any text
   * @return the text with {@code < > & " '} escaped
   */
  static String text(String text) {
    return HtmlUtils.htmlEscape(text, "UTF-8");
  }

  /**
   * The hidden field that carries the request's CSRF token in a form that posts. Spring Security's
   * WebFlux filter offers the token lazily; asking for it here keeps it in the session.
   *
   * @param exchange the request
   * @return the field
   */
  static Mono<String> csrfField(ServerWebExchange exchange) {
    Mono<CsrfToken> token = exchange.getAttribute(CsrfToken.class.getName());
    return token == null
        ? Mono.just("")
        : token.map(
            csrf ->
                "<input type=\"hidden\" name=\"%s\" value=\"%s\">"
                    .formatted(text(csrf.getParameterName()), text(csrf.getToken())));
  }

  /**
   * A time to the second, in UTC.
   *
   * @param time the time
   * @return the text
   */
  static String time(Instant time) {
    return time.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ');
  }

  /**
   * A whole page.
   *
   * @param title the title, as text
   * @param body the body, as HTML
   * @return the page
   */
  static String page(String title, String body) {
    return """
        <!doctype html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <title>%s · bodhi-sessions Spring WebFlux example</title>
        <style>
          body { font-family: system-ui, sans-serif; max-width: 44rem; margin: 3rem auto; }
          form.inline { display: inline-block; margin-right: .5rem; }
          table { border-collapse: collapse; }
          td, th { text-align: left; padding: .25rem .75rem .25rem 0; }
          .error { color: #b00020; }
          .hint { color: #666; }
        </style>
        </head>
        <body>
        <h1>bodhi-sessions Spring WebFlux example</h1>
        %s
        </body>
        </html>
        """
        .formatted(text(title), body);
  }
}
