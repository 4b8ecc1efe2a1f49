package app.getbodhi.session.web;

import app.getbodhi.session.SessionRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * How long one session lives after a request, as stored: the arithmetic behind the bounds in {@link
 * SessionManagerLayer}'s class comment, in one place.
 *
 * <p>A write at {@code access} stores the expiry {@code access + timeout + granularity}. A later
 * request at {@code now} that changes nothing writes only when that expiry falls short of {@code
 * now + timeout}, which is when more than {@code granularity} has passed since the write. So a
 * session lives at least {@code timeout} after its last request (the expiry is never short of it,
 * or the request writes a new one) and at most {@code timeout + granularity} (every request at or
 * after the last write). Judging by the stored expiry rather than the stored access time keeps the
 * bound for rows written under another granularity too.
 *
 * @param timeout the effective idle timeout; empty when the session never times out
 * @param granularity the session's access granularity
 */
record IdleTimeout(Optional<Duration> timeout, Duration granularity) {

  /**
   * The idle timeout of a session in a layer. A session whose own timeout is zero or less never
   * times out as long as its cookie can reach it: with a browser-session cookie its row is kept
   * until deleted; with a Max-Age cookie, which the browser drops that long after the last cookie
   * it was sent, the row lives as long as that cookie, so that no row outlives every browser that
   * could present it.
   */
  static IdleTimeout of(SessionManagerLayer layer, Duration maxInactiveInterval) {
    Optional<Duration> timeout =
        maxInactiveInterval.isZero() || maxInactiveInterval.isNegative()
            ? layer.maxAge()
            : Optional.of(maxInactiveInterval);
    return new IdleTimeout(timeout, timeout.map(layer::granularityFor).orElse(Duration.ZERO));
  }

  /** The expiry a write at {@code access} stores. */
  Instant expiryAfter(Instant access) {
    if (timeout.isEmpty()) {
      return SessionRecord.MAX_EXPIRY;
    }
    Duration lifetime = timeout.get().plus(granularity);
    // the latest expiry a store holds; a timeout too long for it lives "forever" instead
    return SessionRecord.MAX_EXPIRY.minus(lifetime).isBefore(access)
        ? SessionRecord.MAX_EXPIRY
        : access.plus(lifetime);
  }

  /** Whether a request at {@code now} must write so the session lives its timeout after it. */
  boolean refreshDue(Instant storedExpiry, Instant now) {
    return timeout.isPresent() && storedExpiry.isBefore(now.plus(timeout.get()));
  }

  /** The Max-Age to send: the configured one with the same slack as the row. */
  Optional<Duration> cookieMaxAge(Optional<Duration> configured) {
    return configured.map(maxAge -> maxAge.plus(granularity));
  }
}
