package app.getbodhi.session.web;

import static app.getbodhi.session.web.CrossOriginProtection.Decision.ALLOWED_NO_BROWSER_HEADERS;
import static app.getbodhi.session.web.CrossOriginProtection.Decision.ALLOWED_ORIGIN_MATCHES_HOST;
import static app.getbodhi.session.web.CrossOriginProtection.Decision.ALLOWED_SAFE_METHOD;
import static app.getbodhi.session.web.CrossOriginProtection.Decision.ALLOWED_SAME_ORIGIN;
import static app.getbodhi.session.web.CrossOriginProtection.Decision.ALLOWED_TRUSTED_ORIGIN;
import static app.getbodhi.session.web.CrossOriginProtection.Decision.REFUSED_CROSS_ORIGIN;
import static app.getbodhi.session.web.CrossOriginProtection.Decision.REFUSED_ORIGIN_MISMATCH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import app.getbodhi.session.SessionServiceException;
import app.getbodhi.session.SessionStore;
import app.getbodhi.session.web.CrossOriginProtection.Decision;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class CrossOriginProtectionTest {

  private static final String HOST = "app.example.com";
  private static final String SAME = "https://app.example.com";
  private static final String TRUSTED = "https://sso.example.com";

  private static final CrossOriginProtection PLAIN = CrossOriginProtection.enabled();
  private static final CrossOriginProtection WITH_TRUST =
      CrossOriginProtection.enabled().withTrustedOrigin(TRUSTED);

  @Nested
  class Decisions {

    /** method, Sec-Fetch-Site, Origin, Host, decision without trust, decision with TRUSTED. */
    static Stream<Arguments> table() {
      return Stream.of(
          // safe methods pass whatever their headers say
          row("GET", "cross-site", "https://evil.example", HOST, ALLOWED_SAFE_METHOD),
          row("HEAD", "cross-site", "https://evil.example", HOST, ALLOWED_SAFE_METHOD),
          row("OPTIONS", "cross-site", "https://evil.example", HOST, ALLOWED_SAFE_METHOD),
          // Sec-Fetch-Site decides when present
          row("POST", "same-origin", null, HOST, ALLOWED_SAME_ORIGIN),
          row("POST", "same-origin", "https://evil.example", HOST, ALLOWED_SAME_ORIGIN),
          row("POST", "none", null, HOST, ALLOWED_SAME_ORIGIN),
          row("POST", "Same-Origin", null, HOST, ALLOWED_SAME_ORIGIN),
          row("POST", "cross-site", null, HOST, REFUSED_CROSS_ORIGIN),
          row("POST", "cross-site", "https://evil.example", HOST, REFUSED_CROSS_ORIGIN),
          row("POST", "same-site", "https://blog.example.com", HOST, REFUSED_CROSS_ORIGIN),
          row("POST", "same-site", "http://app.example.com:8081", HOST, REFUSED_CROSS_ORIGIN),
          row("POST", "something-new", null, HOST, REFUSED_CROSS_ORIGIN),
          // a cross-site request whose Origin matches the Host is still cross-site
          row("POST", "cross-site", SAME, HOST, REFUSED_CROSS_ORIGIN),
          // trusted origins pass, on either path
          trusted("POST", "cross-site", TRUSTED, HOST),
          trusted("POST", "same-site", TRUSTED, HOST),
          trusted("POST", "cross-site", "HTTPS://SSO.EXAMPLE.COM", HOST),
          trusted("POST", null, TRUSTED, HOST),
          // without Sec-Fetch-Site: Origin against Host
          row("POST", null, SAME, HOST, ALLOWED_ORIGIN_MATCHES_HOST),
          row("POST", null, "https://APP.example.com", HOST, ALLOWED_ORIGIN_MATCHES_HOST),
          row("POST", null, "http://127.0.0.1:8080", "127.0.0.1:8080", ALLOWED_ORIGIN_MATCHES_HOST),
          row("POST", null, "http://[::1]:8080", "[::1]:8080", ALLOWED_ORIGIN_MATCHES_HOST),
          row("POST", null, "http://app.example.com", HOST + ":80", ALLOWED_ORIGIN_MATCHES_HOST),
          row("POST", null, "https://app.example.com:443", HOST, ALLOWED_ORIGIN_MATCHES_HOST),
          row("POST", null, "http://127.0.0.1:8081", "127.0.0.1:8080", REFUSED_ORIGIN_MISMATCH),
          row("POST", null, "https://app.example.com", HOST + ":8443", REFUSED_ORIGIN_MISMATCH),
          row("POST", null, "https://evil.example", HOST, REFUSED_ORIGIN_MISMATCH),
          row("POST", null, "null", HOST, REFUSED_ORIGIN_MISMATCH),
          row("POST", null, "not a url", HOST, REFUSED_ORIGIN_MISMATCH),
          row("POST", null, "https://user@app.example.com", HOST, REFUSED_ORIGIN_MISMATCH),
          row("POST", null, SAME, null, REFUSED_ORIGIN_MISMATCH),
          // neither header: not a browser
          row("POST", null, null, HOST, ALLOWED_NO_BROWSER_HEADERS),
          row("POST", "", " ", HOST, ALLOWED_NO_BROWSER_HEADERS),
          row("POST", null, null, null, ALLOWED_NO_BROWSER_HEADERS),
          // every unsafe method is checked, and methods are case-sensitive
          row("PUT", "cross-site", null, HOST, REFUSED_CROSS_ORIGIN),
          row("DELETE", "cross-site", null, HOST, REFUSED_CROSS_ORIGIN),
          row("PATCH", "cross-site", null, HOST, REFUSED_CROSS_ORIGIN),
          row("get", "cross-site", null, HOST, REFUSED_CROSS_ORIGIN));
    }

    private static Arguments row(
        String method, String site, String origin, String host, Decision decision) {
      return Arguments.of(method, site, origin, host, decision, decision);
    }

    private static Arguments trusted(String method, String site, String origin, String host) {
      Decision untrusted = site == null ? REFUSED_ORIGIN_MISMATCH : REFUSED_CROSS_ORIGIN;
      return Arguments.of(method, site, origin, host, untrusted, ALLOWED_TRUSTED_ORIGIN);
    }

    @ParameterizedTest(name = "{0} Sec-Fetch-Site={1} Origin={2} Host={3}: {4}, trusting: {5}")
    @MethodSource("table")
    void decideAsTheTableSays(
        String method,
        String secFetchSite,
        String origin,
        String host,
        Decision withoutTrust,
        Decision withTrust) {
      assertThat(PLAIN.check(method, secFetchSite, origin, host)).isEqualTo(withoutTrust);
      assertThat(WITH_TRUST.check(method, secFetchSite, origin, host)).isEqualTo(withTrust);
    }

    @Test
    void onlyTheRefusalsAreNotAllowed() {
      assertThat(Arrays.stream(Decision.values()).filter(d -> !d.allowed()))
          .containsExactlyInAnyOrder(REFUSED_CROSS_ORIGIN, REFUSED_ORIGIN_MISMATCH);
    }
  }

  @Nested
  class TrustedOrigins {

    @ParameterizedTest
    @ValueSource(
        strings = {
          "https://sso.example.com",
          "http://localhost:8080",
          "http://127.0.0.1:1",
          "https://[::1]:8443",
          "HTTPS://Partner.Example"
        })
    void acceptsSchemeHostAndPort(String origin) {
      CrossOriginProtection protection = CrossOriginProtection.enabled().withTrustedOrigin(origin);

      assertThat(protection.trustedOrigins()).containsExactly(origin.toLowerCase());
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "",
          " ",
          "sso.example.com",
          "https://sso.example.com/",
          "https://sso.example.com/login",
          "https://sso.example.com?x=1",
          "https://sso.example.com#top",
          "https://user@sso.example.com",
          "https://sso.example.com:99999",
          "https://",
          "mailto:a@example.com",
          "null",
          "https://sso example.com"
        })
    void refusesAnythingElseWithAMessageNamingTheSetting(String origin) {
      assertThatThrownBy(() -> CrossOriginProtection.enabled().withTrustedOrigin(origin))
          .isInstanceOf(SessionServiceException.class)
          .hasMessageContaining("CrossOriginProtection.trustedOrigins")
          .hasMessageContaining("scheme://host[:port]")
          .extracting(e -> ((SessionServiceException) e).kind())
          .isEqualTo(SessionServiceException.Kind.CONFIGURATION);
    }

    @Test
    void refusesANullOrigin() {
      assertThatThrownBy(() -> CrossOriginProtection.enabled().withTrustedOrigin(null))
          .isInstanceOf(SessionServiceException.class)
          .hasMessageContaining("it is empty");
    }

    @Test
    void aListIsCheckedWholeAndNamesTheBadOne() {
      assertThatThrownBy(
              () ->
                  CrossOriginProtection.enabled()
                      .withTrustedOrigins(List.of("https://a.example", "https://b.example/x")))
          .hasMessageContaining("'https://b.example/x'");
    }

    @Test
    void addingOneLeavesTheOriginalUnchanged() {
      CrossOriginProtection base = CrossOriginProtection.enabled();
      CrossOriginProtection more = base.withTrustedOrigins(List.of(TRUSTED, "http://x.example"));

      assertThat(base.trustedOrigins()).isEmpty();
      assertThat(more.trustedOrigins()).containsExactlyInAnyOrder(TRUSTED, "http://x.example");
      assertThat(more)
          .isEqualTo(base.withTrustedOrigin("http://x.example").withTrustedOrigin(TRUSTED));
      assertThat(more.toString()).contains(TRUSTED);
    }
  }

  @Nested
  class OnTheLayer {

    /** A store the layer tests never call; a proxy, so it compiles however the interface grows. */
    private final SessionStore store =
        (SessionStore)
            Proxy.newProxyInstance(
                SessionStore.class.getClassLoader(),
                new Class<?>[] {SessionStore.class},
                (proxy, method, args) -> {
                  throw new UnsupportedOperationException(method.getName());
                });

    @Test
    void isOffByDefault() {
      assertThat(SessionManagerLayer.of(store).crossOriginProtection()).isEmpty();
      assertThat(SessionManagerLayer.of(store).toString()).contains("crossOriginProtection=off");
    }

    @Test
    void isKeptByTheLayerAndItsBuilderCopies() {
      SessionManagerLayer layer =
          SessionManagerLayer.builder(store).crossOriginProtection(WITH_TRUST).build();

      assertThat(layer.crossOriginProtection()).contains(WITH_TRUST);
      assertThat(layer.toBuilder().build().crossOriginProtection()).contains(WITH_TRUST);
      assertThat(layer.toBuilder().crossOriginProtection(null).build().crossOriginProtection())
          .isEmpty();
    }
  }
}
