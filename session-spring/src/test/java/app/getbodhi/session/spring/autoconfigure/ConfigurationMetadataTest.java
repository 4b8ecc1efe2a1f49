package app.getbodhi.session.spring.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The configuration metadata the build generates, which IDEs show as completion and help for {@code
 * application.properties}: every {@code bodhi.session.*} property is listed, with a description
 * written for people (IDEs show Javadoc tags literally) and its default.
 */
class ConfigurationMetadataTest {

  private static Map<String, JsonNode> bodhiProperties() throws Exception {
    // the module's own file, next to its classes: every Boot jar has one of the same name
    Path classes = classesFolder();
    Path file = classes.resolve("META-INF/spring-configuration-metadata.json");
    assertThat(file).exists();
    JsonNode metadata = JsonMapper.builder().build().readTree(Files.readString(file));
    Map<String, JsonNode> properties = new HashMap<>();
    for (JsonNode property : metadata.get("properties")) {
      String name = property.get("name").asString();
      if (name.startsWith("bodhi.session.")) {
        properties.put(name, property);
      }
    }
    return properties;
  }

  private static Path classesFolder() throws URISyntaxException {
    return Path.of(
        BodhiSessionProperties.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  @Test
  void every_bodhi_session_property_is_listed_with_a_plain_description() throws Exception {
    Map<String, JsonNode> properties = bodhiProperties();

    assertThat(properties.keySet())
        .containsExactlyInAnyOrder(
            "bodhi.session.enabled",
            "bodhi.session.db-url",
            "bodhi.session.home",
            "bodhi.session.deployment",
            "bodhi.session.secret",
            "bodhi.session.secret-file",
            "bodhi.session.previous-secret",
            "bodhi.session.previous-secret-file",
            "bodhi.session.cluster-without-secret-for-testing-only",
            "bodhi.session.cleanup-interval",
            "bodhi.session.reactive.queue-per-thread",
            "bodhi.session.access-granularity",
            "bodhi.session.serialization.allowed-packages");
    assertThat(properties)
        .allSatisfy(
            (name, property) -> {
              assertThat(property.path("description").asString()).as(name).isNotBlank();
              assertThat(property.path("description").asString())
                  .as(name + " shows no Javadoc tag")
                  .doesNotContain("{@");
              assertThat(property.path("type").asString()).as(name).isNotBlank();
            });
  }

  @Test
  void the_switch_and_the_defaults_are_documented() throws Exception {
    Map<String, JsonNode> properties = bodhiProperties();

    assertThat(properties.get("bodhi.session.enabled").path("type").asString())
        .isEqualTo("java.lang.Boolean");
    assertThat(properties.get("bodhi.session.enabled").path("defaultValue").asBoolean(false))
        .isTrue();
    assertThat(properties.get("bodhi.session.deployment").path("defaultValue").asString())
        .isEqualTo("standalone");
    assertThat(properties.get("bodhi.session.cleanup-interval").path("defaultValue").asString())
        .isEqualTo("5m");
  }
}
