package app.getbodhi.session.spring.example;

import static org.assertj.core.api.Assertions.assertThat;

import app.getbodhi.session.example.ExampleHttpTestBase;
import app.getbodhi.session.spring.JacksonAttributeCodec;
import app.getbodhi.session.spring.SessionAttributeCodec;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The Spring MVC example over real HTTP: the tests both examples pass, and its own. */
@OnExampleApplication
class ExampleHttpTest extends ExampleHttpTestBase {

  @Autowired SessionAttributeCodec codec;

  @Test
  void anApplicationWithJacksonAndSpringSecurityGetsTheCodecForSpringSecuritysTypes() {
    // Spring Security keeps its CSRF token, saved request and security context in the session as
    // objects: a JSON-only codec would refuse the first form this application shows
    assertThat(codec).isInstanceOf(JacksonAttributeCodec.class);
  }
}
