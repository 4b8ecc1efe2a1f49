package app.getbodhi.session.spring.example;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.util.HtmlUtils;

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
   * The hidden field that carries the CSRF token in a form that posts.
   *
   * @param csrf the request's token
   * @return the field
   */
  static String csrfField(CsrfToken csrf) {
    return "<input type=\"hidden\" name=\"%s\" value=\"%s\">"
        .formatted(text(csrf.getParameterName()), text(csrf.getToken()));
  }

  /**
   * A time to the second, in UTC, or {@code unknown} for a session stored before times were kept.
   *
   * @param time the time
   * @return the text
   */
  static String time(Optional<Instant> time) {
    return time.map(t -> t.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' '))
        .orElse("unknown");
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
        <title>%s · bodhi-sessions Spring Boot example</title>
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
        <h1>bodhi-sessions Spring Boot example</h1>
        %s
        </body>
        </html>
        """
        .formatted(text(title), body);
  }
}
