package dev.reelroute.styletransfer;

import java.io.IOException;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** reelroute.style.* as application.yaml binds it, with and without the environment variables set. */
class StylePropertiesTest {

    @Test
    void applicationYamlShipsTheDefaults() throws IOException {
        assertThat(bind(Map.of())).isEqualTo(StyleProperties.DEFAULTS);
    }

    @Test
    void environmentVariablesOverrideThemAndAreChecked() throws IOException {
        StyleProperties custom = bind(Map.of("REELROUTE_STYLE_ANALYSIS_WIDTH", "480",
                "REELROUTE_STYLE_MAX_ANALYSIS_DURATION", "90s", "REELROUTE_STYLE_DEFAULT_STRENGTH", "0.7"));
        assertThat(custom.analysisWidth()).isEqualTo(480);
        assertThat(custom.maxAnalysisSeconds()).isEqualTo(90);
        assertThat(custom.defaultStrength()).isEqualTo(0.7);

        assertThatThrownBy(() -> bind(Map.of("REELROUTE_STYLE_ANALYSIS_WIDTH", "10")))
                .isInstanceOf(BindException.class).rootCause()
                .hasMessageStartingWith("reelroute.style.analysis-width must be within 64..1920");
        assertThatThrownBy(() -> bind(Map.of("REELROUTE_STYLE_DEFAULT_STRENGTH", "2")))
                .isInstanceOf(BindException.class).rootCause()
                .hasMessageStartingWith("reelroute.style.default-strength");
    }

    /** Binds application.yaml with {@code variables} as the only environment. */
    private static StyleProperties bind(Map<String, Object> variables) throws IOException {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().addFirst(new MapPropertySource("variables", variables));
        new YamlPropertySourceLoader().load("application.yaml", new ClassPathResource("application.yaml"))
                .forEach(environment.getPropertySources()::addLast);
        return Binder.get(environment).bind("reelroute.style", StyleProperties.class).get();
    }
}
