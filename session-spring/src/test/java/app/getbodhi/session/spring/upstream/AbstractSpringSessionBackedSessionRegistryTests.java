/*
 * Copyright 2014-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 *
 * Modified for bodhi-sessions: ported from Spring Session 4.0.4's
 * spring-session-core/src/test/java/org/springframework/session/security/
 * SpringSessionBackedSessionRegistryTests.java onto BodhiSessionRepository; every change is
 * listed in README.md next to this file.
 */

package app.getbodhi.session.spring.upstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.spy;
import static org.mockito.Mockito.verify;

import app.getbodhi.session.SessionId;
import app.getbodhi.session.spring.BodhiSessionRepository;
import app.getbodhi.session.spring.JacksonAttributeCodec;
import app.getbodhi.session.spring.TestBackend;
import java.security.Principal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.AuthenticatedPrincipal;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.session.SessionInformation;
import org.springframework.security.core.userdetails.User;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.security.SpringSessionBackedSessionRegistry;

/**
 * Tests for {@link SpringSessionBackedSessionRegistry} over a {@link BodhiSessionRepository} on a
 * real database; a subclass names the backend.
 */
abstract class AbstractSpringSessionBackedSessionRegistryTests extends OnBackend {

  /** SpringSessionBackedSessionInformation.EXPIRED_ATTR, which is package-private. */
  private static final String EXPIRED_ATTR =
      "org.springframework.session.security.SpringSessionBackedSessionInformation.EXPIRED";

  private static final String USER_NAME = "userName";

  private static final User PRINCIPAL = new User(USER_NAME, "password", Collections.emptyList());

  private static final Instant NOW = Instant.now();

  private BodhiSessionRepository stored;

  private FindByIndexNameSessionRepository<Session> sessionRepository;

  private SpringSessionBackedSessionRegistry<Session> sessionRegistry;

  AbstractSpringSessionBackedSessionRegistryTests(TestBackend backend) {
    super(backend);
  }

  @BeforeEach
  void setUp() {
    this.stored = TestBackend.repository(this.store, JacksonAttributeCodec.withSecurityModules());
    this.sessionRepository = spy(this.stored);
    this.sessionRegistry = new SpringSessionBackedSessionRegistry<>(this.sessionRepository);
  }

  @Test
  void sessionInformationForExistingSession() {
    Session session = createSession(USER_NAME, NOW);
    String sessionId = session.getId();

    SessionInformation sessionInfo = this.sessionRegistry.getSessionInformation(sessionId);

    assertThat(sessionInfo.getSessionId()).isEqualTo(sessionId);
    assertThat(sessionInfo.getLastRequest().toInstant().truncatedTo(ChronoUnit.MILLIS))
        .isEqualTo(NOW.truncatedTo(ChronoUnit.MILLIS));
    assertThat(sessionInfo.getPrincipal()).isEqualTo(USER_NAME);
    assertThat(sessionInfo.isExpired()).isFalse();
  }

  @Test
  void sessionInformationForExpiredSession() {
    Session session = createSession(USER_NAME, NOW);
    session.setAttribute(EXPIRED_ATTR, Boolean.TRUE);
    this.stored.save(session);
    String sessionId = session.getId();

    SessionInformation sessionInfo = this.sessionRegistry.getSessionInformation(sessionId);

    assertThat(sessionInfo.getSessionId()).isEqualTo(sessionId);
    assertThat(sessionInfo.getLastRequest().toInstant().truncatedTo(ChronoUnit.MILLIS))
        .isEqualTo(NOW.truncatedTo(ChronoUnit.MILLIS));
    assertThat(sessionInfo.getPrincipal()).isEqualTo(USER_NAME);
    assertThat(sessionInfo.isExpired()).isTrue();
  }

  @Test
  void noSessionInformationForMissingSession() {
    assertThat(this.sessionRegistry.getSessionInformation("nonExistingSessionId")).isNull();
  }

  @Test
  void getAllSessionsForUserDetails() {
    List<String> keys = setUpSessions();
    List<SessionInformation> allSessionInfos = this.sessionRegistry.getAllSessions(PRINCIPAL, true);
    assertThat(allSessionInfos).extracting("sessionId").containsExactlyInAnyOrderElementsOf(keys);
  }

  @Test
  void getAllSessionsForAuthenticatedPrincipal() {
    List<String> keys = setUpSessions();
    List<SessionInformation> allSessionInfos =
        this.sessionRegistry.getAllSessions((AuthenticatedPrincipal) () -> USER_NAME, true);
    assertThat(allSessionInfos).extracting("sessionId").containsExactlyInAnyOrderElementsOf(keys);
  }

  @Test
  void getAllSessionsForPrincipal() {
    List<String> keys = setUpSessions();
    List<SessionInformation> allSessionInfos =
        this.sessionRegistry.getAllSessions(new TestPrincipal(USER_NAME), true);
    assertThat(allSessionInfos).extracting("sessionId").containsExactlyInAnyOrderElementsOf(keys);
  }

  @Test
  @Disabled(
      "by design: the expired marker Spring's registry sets is an attribute, sealed with the"
          + " session's data, which a listing by principal cannot read; expiring a listed session"
          + " deletes it instead, so it is not listed at all; see README.md")
  void getNonExpiredSessions() {
    List<String> keys = setUpSessions();

    List<SessionInformation> nonExpiredSessionInfos =
        this.sessionRegistry.getAllSessions(PRINCIPAL, false);

    assertThat(nonExpiredSessionInfos).extracting("sessionId").containsExactly(keys.get(1));
  }

  @Test
  void expireNow() {
    Session session = createSession(USER_NAME, NOW);

    SessionInformation sessionInfo = this.sessionRegistry.getSessionInformation(session.getId());
    assertThat(sessionInfo.isExpired()).isFalse();

    sessionInfo.expireNow();

    assertThat(sessionInfo.isExpired()).isTrue();
    ArgumentCaptor<Session> captor = ArgumentCaptor.forClass(Session.class);
    verify(this.sessionRepository).save(captor.capture());
    assertThat(captor.getValue().<Boolean>getAttribute(EXPIRED_ATTR)).isEqualTo(Boolean.TRUE);
  }

  /** A stored session of a logged-in user, last accessed then; saved past the spy. */
  private Session createSession(String userName, Instant lastAccessed) {
    Session session = this.stored.createSession();
    session.setLastAccessedTime(lastAccessed);
    SecurityContextImpl securityContext = new SecurityContextImpl();
    securityContext.setAuthentication(
        UsernamePasswordAuthenticationToken.authenticated(
            userName, null, AuthorityUtils.createAuthorityList("ROLE_USER")));
    session.setAttribute("SPRING_SECURITY_CONTEXT", securityContext);
    this.stored.save(session);
    return session;
  }

  /** Two sessions of the user, the first marked expired; returns their listing keys in order. */
  private List<String> setUpSessions() {
    Session session1 = createSession(USER_NAME, NOW);
    session1.setAttribute(EXPIRED_ATTR, Boolean.TRUE);
    this.stored.save(session1);
    Session session2 = createSession(USER_NAME, NOW);
    return List.of(keyOf(session1), keyOf(session2));
  }

  private String keyOf(Session session) {
    return this.store.refOf(SessionId.parse(session.getId()).orElseThrow()).value();
  }

  private static final class TestPrincipal implements Principal {

    private final String name;

    private TestPrincipal(String name) {
      this.name = name;
    }

    @Override
    public String getName() {
      return this.name;
    }

    @Override
    public boolean equals(Object another) {
      if (this == another) {
        return true;
      }
      if (another instanceof TestPrincipal) {
        return this.name.equals(((TestPrincipal) another).name);
      }
      return false;
    }

    @Override
    public int hashCode() {
      return this.name.hashCode();
    }

    @Override
    public String toString() {
      return this.name;
    }
  }
}
